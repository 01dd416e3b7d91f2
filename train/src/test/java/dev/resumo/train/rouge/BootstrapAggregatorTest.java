package dev.resumo.train.rouge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapAggregatorTest {
    @Test
    void percentileInterpolatesLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], [2.5, 50, 97.5]) == [1.075, 2.5, 3.925]
        double[] v = {4, 1, 3, 2};
        assertEquals(1.075, BootstrapAggregator.percentile(v, 0.025), 1e-12);
        assertEquals(2.5, BootstrapAggregator.percentile(v, 0.5), 1e-12);
        assertEquals(3.925, BootstrapAggregator.percentile(v, 0.975), 1e-12);
    }

    @Test
    void sameSeedSameIntervalOtherSeedOtherInterval() {
        List<Score> scores = new ArrayList<>();
        for (int i = 0; i < 50; i++) scores.add(Score.of((i % 7) / 7.0, (i % 5) / 5.0));
        Interval a = new BootstrapAggregator(1000, 0.95, 7).aggregate(scores);
        Interval b = new BootstrapAggregator(1000, 0.95, 7).aggregate(scores);
        Interval c = new BootstrapAggregator(1000, 0.95, 8).aggregate(scores);
        assertEquals(a, b);
        assertNotEquals(a, c);
        double meanP = scores.stream().mapToDouble(Score::precision).average().orElseThrow();
        assertTrue(a.low().precision() < meanP && meanP < a.high().precision(), "interval contains the mean");
        // with n=50 values of sd ~0.29 the standard error is ~0.04, so the 95% interval spans ~0.16
        double width = a.high().precision() - a.low().precision();
        assertTrue(width > 0.10 && width < 0.22, "interval width " + width);
        assertEquals(meanP, a.mid().precision(), 0.02);
    }

    @Test
    void oneScoreGivesAPointInterval() {
        Interval i = new BootstrapAggregator(100, 0.95, 1).aggregate(List.of(new Score(0.5, 0.25, 1.0 / 3)));
        assertEquals(new Score(0.5, 0.25, 1.0 / 3), i.low());
        assertEquals(i.low(), i.high());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new BootstrapAggregator(0, 0.95, 1));
        assertThrows(IllegalArgumentException.class, () -> new BootstrapAggregator(10, 1.5, 1));
    }
}
