package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Metric;

/** The buffer between training and the sender: bounded, ordered, and exact about what it dropped. */
class OutboxTest {
    private static Outgoing.MetricValue loss(long step) {
        return new Outgoing.MetricValue(Metric.newBuilder().setKey("loss").setStep(step).setValue(step).build());
    }

    @Test
    void consecutiveMetricsGoTogetherAndOtherItemsAlone() throws Exception {
        Outbox box = new Outbox(100);
        box.add(loss(1));
        box.add(loss(2));
        Outgoing upload = new Outgoing.Upload(Path.of("config.json"), "config.json");
        box.add(upload);
        box.add(loss(3));
        List<Outgoing> first = box.next(1000);
        assertEquals(2, first.size());
        box.remove(first);
        List<Outgoing> second = box.next(1000);
        assertEquals(List.of(upload), second);
        box.remove(second);
        assertEquals(1, box.next(1000).size());
    }

    @Test
    void aBatchIsCappedAndAFailedSendKeepsItQueued() throws Exception {
        Outbox box = new Outbox(10_000);
        for (int i = 0; i < 2500; i++) box.add(loss(i));
        List<Outgoing> batch = box.next(1000);
        assertEquals(1000, batch.size());
        box.keep(); // the call failed: retried later
        assertEquals(batch, box.next(1000));
        box.remove(batch);
        assertEquals(1500, box.metricValues());
    }

    @Test
    void aFullBufferDropsTheOldestValuesButNeverThoseBeingSent() throws Exception {
        Outbox box = new Outbox(5);
        for (int i = 1; i <= 3; i++) box.add(loss(i));
        List<Outgoing> inFlight = box.next(2); // steps 1 and 2 are on the wire
        for (int i = 4; i <= 8; i++) box.add(loss(i)); // 3 over capacity: steps 3, 4, 5 go
        box.remove(inFlight);
        Undelivered dropped = box.dropped();
        assertEquals(3, dropped.metricValues());
        assertEquals("3 metric values (loss ×3 steps 3..5)", dropped.toString());
        List<Outgoing> rest = box.next(1000);
        assertEquals(List.of(6L, 7L, 8L), rest.stream().map(o -> ((Outgoing.MetricValue) o).metric().getStep()).toList());
    }

    @Test
    void closedAndEmptyEndsTheSenderAndRefusesMore() throws Exception {
        Outbox box = new Outbox(5);
        Outgoing item = loss(1);
        box.add(item);
        box.close();
        assertFalse(box.add(loss(2)), "nothing is queued after the end");
        List<Outgoing> last = box.next(10);
        assertSame(item, last.getFirst());
        box.remove(last);
        assertTrue(box.next(10).isEmpty());
    }
}
