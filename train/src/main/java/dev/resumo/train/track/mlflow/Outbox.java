package dev.resumo.train.track.mlflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.mlflow.api.proto.Service.Metric;

/**
 * The bounded queue between the training thread and the sender thread. Training never waits on
 * it: past {@code metricCapacity} buffered metric values the oldest are dropped (and counted in
 * {@link #dropped()}); everything else is small and always kept. The sender peeks at the head,
 * sends it, and removes it only once the server took it, so nothing is lost to a failed call.
 */
final class Outbox {
    private final int metricCapacity;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private final Undelivered dropped = new Undelivered();
    private int metricValues;
    /** Items at the head handed to the sender and not yet removed: never dropped, they may be on the wire. */
    private int inFlight;
    private boolean closed;

    Outbox(int metricCapacity) {
        this.metricCapacity = metricCapacity;
    }

    /** Queues an item; false (and nothing queued) once the run has ended. */
    synchronized boolean add(Outgoing item) {
        if (closed) return false;
        if (item instanceof Outgoing.MetricValue) {
            if (metricValues >= metricCapacity) dropOldestMetric();
            metricValues++;
        }
        queue.addLast(item);
        notifyAll();
        return true;
    }

    private void dropOldestMetric() {
        int index = 0;
        for (Iterator<Outgoing> it = queue.iterator(); it.hasNext(); index++) {
            Outgoing item = it.next();
            if (index >= inFlight && item instanceof Outgoing.MetricValue m) {
                it.remove();
                metricValues--;
                dropped.add(m);
                return;
            }
        }
    }

    /**
     * The sender's backoff: waits up to millis, or at most a second once the run has ended (the end
     * waits for the flush, so retries come quicker then); an earlier {@link #close} wakes it.
     */
    synchronized void pause(long millis) throws InterruptedException {
        long until = System.nanoTime() + (closed ? Math.min(millis, 1000) : millis) * 1_000_000;
        boolean wasClosed = closed;
        long left;
        while ((left = until - System.nanoTime()) > 0 && closed == wasClosed) {
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** No more items will be added; the sender stops once the queue is empty. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * The next thing to send, waiting for one: a run of consecutive metric values (at most
     * {@code maxMetrics}) or a single other item; an empty list once closed and empty.
     */
    synchronized List<Outgoing> next(int maxMetrics) throws InterruptedException {
        while (queue.isEmpty() && !closed) wait();
        List<Outgoing> out = new ArrayList<>();
        for (Outgoing item : queue) {
            if (!(item instanceof Outgoing.MetricValue)) {
                if (out.isEmpty()) out.add(item);
                break;
            }
            if (out.size() == maxMetrics) break;
            out.add(item);
        }
        inFlight = out.size();
        return out;
    }

    /** Removes the items {@link #next} returned (sent, or given up on); they are still at the head. */
    synchronized void remove(List<Outgoing> items) {
        for (Outgoing item : items) {
            if (queue.pollFirst() != item) throw new IllegalStateException("outbox head changed while being sent");
            if (item instanceof Outgoing.MetricValue) metricValues--;
        }
        inFlight = 0;
        notifyAll();
    }

    /** The items {@link #next} returned stay queued (the call failed and will be retried). */
    synchronized void keep() {
        inFlight = 0;
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }

    synchronized int metricValues() {
        return metricValues;
    }

    /** Everything still waiting (for the report when the end of the run gives up on the server). */
    synchronized List<Outgoing> pending() {
        return List.copyOf(queue);
    }

    /** Metric values dropped because the buffer was full. */
    synchronized Undelivered dropped() {
        return dropped.copy();
    }

    static List<Metric> metrics(List<Outgoing> items) {
        List<Metric> out = new ArrayList<>(items.size());
        for (Outgoing item : items) out.add(((Outgoing.MetricValue) item).metric());
        return out;
    }
}
