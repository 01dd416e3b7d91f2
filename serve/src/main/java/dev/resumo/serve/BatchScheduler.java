package dev.resumo.serve;

import dev.resumo.engine.TensorTooLargeException;
import dev.resumo.engine.backend.DeviceMemoryException;
import dev.resumo.t5.generate.GenerationConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching: requests wait in one queue; a single worker takes the oldest, waits up to
 * {@code maxWaitMs} (from when that request arrived) for more requests with the same generation
 * settings, and generates up to {@code maxBatch} texts together. Sampled requests run alone so
 * that a seed gives the same summary whatever else is waiting. Work past {@code maxQueue}
 * waiting texts is refused (429); cancelled work leaves the queue at once.
 */
public final class BatchScheduler implements AutoCloseable {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(BatchScheduler.class.getName());
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** One request's texts on their way through the queue. */
    public static final class Job {
        final List<String> texts;
        final GenerationConfig settings;
        final CompletableFuture<List<SummaryEngine.Summary>> result = new CompletableFuture<>();
        final long enqueuedNanos = System.nanoTime();
        volatile boolean cancelled;

        Job(List<String> texts, GenerationConfig settings) {
            this.texts = List.copyOf(texts);
            this.settings = settings;
        }
    }

    /** The client of a job hung up: nothing to answer. */
    public static final class ClientGoneException extends RuntimeException {
        ClientGoneException() {
            super("client disconnected", null, false, false);
        }
    }

    private final SummaryEngine engine;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int maxQueue;
    private final Metrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedList<Job> queue = new LinkedList<>();
    /** Jobs submitted and not yet answered (queued or being generated), for {@link #cutOff}. */
    private final java.util.Set<Job> unanswered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile int queuedTexts;
    private volatile boolean closed;
    private volatile double batchSecondsAverage = 1.0;
    private final Thread worker;

    public BatchScheduler(SummaryEngine engine, int maxBatch, long maxWaitMs, int maxQueue, Metrics metrics) {
        if (maxBatch < 1) throw new IllegalArgumentException("max batch must be ≥ 1, got " + maxBatch);
        if (maxWaitMs < 0) throw new IllegalArgumentException("max wait must be ≥ 0 ms, got " + maxWaitMs);
        if (maxQueue < 1) throw new IllegalArgumentException("max queue must be ≥ 1, got " + maxQueue);
        this.engine = engine;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.maxQueue = maxQueue;
        this.metrics = metrics;
        this.worker = Thread.ofPlatform().name("resumo-batcher").daemon(true).start(this::workLoop);
    }

    /** Texts waiting for a batch (not those being generated). */
    public int queuedTexts() {
        return queuedTexts;
    }

    /** Queues the texts; 429 with Retry-After when the queue would pass its limit, 503 once closed. */
    public Job submit(List<String> texts, GenerationConfig settings) {
        Job job = new Job(texts, settings);
        lock.lock();
        try {
            if (closed) throw new ApiException(503, "server", "the server is shutting down");
            if (texts.size() > maxQueue) { // could never be queued: no "retry later" for it
                throw new ApiException(400, "texts", "at most " + maxQueue + " texts per request (the server queues at most "
                        + maxQueue + " texts), got " + texts.size());
            }
            if (queuedTexts + texts.size() > maxQueue) {
                int retry = (int) Math.max(1, Math.ceil(batchSecondsAverage * (1 + queuedTexts / (double) maxBatch)));
                throw new ApiException(429, "queue", "too much work waiting (" + queuedTexts + " texts queued, limit "
                        + maxQueue + "); retry later", retry);
            }
            queue.addLast(job);
            unanswered.add(job);
            job.result.whenComplete((r, e) -> unanswered.remove(job));
            queuedTexts += texts.size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return job;
    }

    /** Drops the job: out of the queue if it is still waiting, its batch told if it is running. */
    public void cancel(Job job) {
        dequeue(job);
        job.result.cancel(false);
    }

    /** Marks the job cancelled and takes it out of the queue if it is still waiting there. */
    private void dequeue(Job job) {
        job.cancelled = true;
        lock.lock();
        try {
            if (queue.remove(job)) {
                queuedTexts -= job.texts.size();
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The job's summaries. Cancels it and throws 504 at {@code deadlineNanos}; cancels it and
     * throws {@link ClientGoneException} when the client hangs up meanwhile.
     */
    public List<SummaryEngine.Summary> await(Job job, long deadlineNanos, ClientLink client) throws Exception {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                cancel(job);
                throw new ApiException(504, "timeout", "the summary took longer than the server's --timeout; its work was cancelled");
            }
            try {
                return job.result.get(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (client.gone()) {
                    cancel(job);
                    throw new ClientGoneException();
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof DeviceMemoryException || e.getCause() instanceof TensorTooLargeException) {
                    RuntimeException full = (RuntimeException) e.getCause();
                    // the batch is too large for the device, or for one tensor (16 texts of 8192 tokens
                    // give attention scores past 2^31-1 floats): the client's answer (and the log) says
                    // so in one line, as `resumo summarize` does, instead of a 500 and a stack trace
                    throw new ApiException(503, "server", full.getMessage()
                            + " (fewer or shorter texts per request, or a smaller --max-batch, would fit)");
                }
                if (e.getCause() instanceof Exception cause) throw cause;
                throw e;
            } catch (CancellationException e) {
                throw new ApiException(503, "server", "the work was cancelled");
            }
        }
    }

    private void workLoop() {
        while (true) {
            List<Job> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) return;
            run(batch);
        }
    }

    /** The next batch, or null once closed with nothing left. */
    private List<Job> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                while (queue.isEmpty()) {
                    if (closed) return null;
                    changed.await();
                }
                Job first = queue.getFirst();
                long deadline = first.enqueuedNanos + maxWaitNanos;
                while (!closed && queue.peekFirst() == first && !full(first)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break;
                    changed.awaitNanos(left);
                }
                if (queue.peekFirst() != first) continue; // it was cancelled while we waited: start over
                return take(first);
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean runsAlone(GenerationConfig s) {
        return s.doSample();
    }

    private boolean full(Job first) {
        if (runsAlone(first.settings)) return true;
        int texts = 0;
        for (Job j : queue) {
            if (j.settings.equals(first.settings)) texts += j.texts.size();
            if (texts >= maxBatch) return true;
        }
        return false;
    }

    private List<Job> take(Job first) {
        List<Job> batch = new ArrayList<>();
        int texts = 0;
        for (Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
            Job j = it.next();
            if (j != first && (runsAlone(first.settings) || !j.settings.equals(first.settings))) continue;
            if (j != first && texts + j.texts.size() > maxBatch) continue;
            batch.add(j);
            texts += j.texts.size();
            it.remove();
            if (texts >= maxBatch) break;
        }
        queuedTexts -= texts;
        changed.signalAll();
        return batch;
    }

    private void run(List<Job> batch) {
        CancellationToken allGone = () -> batch.stream().allMatch(j -> j.cancelled);
        if (allGone.isCancelled()) return;
        List<String> texts = new ArrayList<>();
        for (Job j : batch) texts.addAll(j.texts);
        long start = System.nanoTime();
        try {
            List<SummaryEngine.Summary> out = engine.summarize(texts, batch.get(0).settings, allGone);
            if (allGone.isCancelled()) return;
            if (out.size() != texts.size()) {
                throw new IllegalStateException("engine returned " + out.size() + " summaries for " + texts.size() + " texts");
            }
            metrics.observeBatch(texts.size());
            int from = 0;
            for (Job j : batch) {
                j.result.complete(List.copyOf(out.subList(from, from + j.texts.size())));
                from += j.texts.size();
            }
        } catch (RuntimeException | Error e) {
            if (e instanceof DeviceMemoryException || e instanceof TensorTooLargeException) {
                LOG.warning("a batch of " + texts.size() + " texts did not fit: " + e.getMessage());
            }
            for (Job j : batch) j.result.completeExceptionally(e);
        } finally {
            double seconds = (System.nanoTime() - start) / 1e9;
            batchSecondsAverage = 0.8 * batchSecondsAverage + 0.2 * seconds;
        }
    }

    /**
     * Answers every job still queued or being generated with {@code failure} and cancels its work
     * (the running batch sees its cancellation token). Returns how many jobs were cut off.
     */
    public int cutOff(ApiException failure) {
        int n = 0;
        for (Job job : List.copyOf(unanswered)) {
            dequeue(job);
            if (job.result.completeExceptionally(failure)) n++;
        }
        return n;
    }

    /** Refuses new work; what is queued still runs. Waits up to {@code graceMs} for the queue to empty. */
    public void close(long graceMs) {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join(Math.max(1, graceMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) worker.interrupt();
    }

    @Override
    public void close() {
        close(30_000);
    }
}
