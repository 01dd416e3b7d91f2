package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainConfigTest {
    @Test
    void defaultsAreTheT5Recipe() {
        TrainConfig d = TrainConfig.defaults();
        assertEquals("adafactor", d.optimizer());
        assertEquals(1e-3, d.lr());
        assertEquals("constant", d.schedule());
        assertEquals("summarize: ", d.prefix());
    }

    @Test
    void overridesParseStringsAndJsonValues() {
        TrainConfig c = TrainConfig.defaults().with(Map.of("batch-size", "16", "lr", 3e-4, "strict", "true", "max-steps", 100));
        assertEquals(16, c.batchSize());
        assertEquals(3e-4, c.lr());
        assertTrue(c.strict());
        assertEquals(100, c.maxSteps());
        assertEquals(c, TrainConfig.defaults().with(c.toMap()), "toMap round-trips");
    }

    @Test
    void errorsNameTheFlag() {
        assertMessage("--batch-size must be ≥ 1, got 0", Map.of("batch-size", 0));
        assertMessage("--lr must be a positive number", Map.of("lr", -1));
        assertMessage("--epochs must be a whole number, got 'three'", Map.of("epochs", "three"));
        assertMessage("--optimizer must be one of [adafactor, adamw], got 'sgd'", Map.of("optimizer", "sgd"));
        assertMessage("--best-metric must be one of", Map.of("best-metric", "bleu"));
        assertMessage("--strict must be true or false", Map.of("strict", "maybe"));
        assertMessage("unknown setting 'batchsize'", Map.of("batchsize", 4));
        assertMessage("--num-beams must be ≤ " + dev.resumo.t5.generate.GenerationConfig.MAX_NUM_BEAMS, Map.of("num-beams", 20_000));
    }

    /** Optimizer flags: each bad value is one line naming the flag (found by the optimizer fuzz's CLI check). */
    @Test
    void optimizerFlagErrorsNameTheFlag() {
        assertMessage("--lr must be a positive number, got NaN", Map.of("lr", "NaN"));
        assertMessage("--lr must be a positive number, got Infinity", Map.of("lr", "1e400"));
        assertMessage("--lr must be a positive number, got 0.0", Map.of("lr", 0));
        assertMessage("--weight-decay must be a finite number ≥ 0, got Infinity", Map.of("weight-decay", "Infinity"));
        assertMessage("--weight-decay must be a finite number ≥ 0, got NaN", Map.of("weight-decay", "NaN"));
        assertMessage("--weight-decay must be a finite number ≥ 0, got -0.1", Map.of("weight-decay", -0.1));
        assertMessage("--max-grad-norm must be a finite number ≥ 0 (0 = no clipping), got Infinity", Map.of("max-grad-norm", "Infinity"));
        assertMessage("--weight-decay 1000.0 with --lr 0.001: lr × weight decay must be below 1", Map.of("weight-decay", 1000));
        assertMessage("lr × weight decay must be below 1", Map.of("weight-decay", 0.5, "lr", 3));
        // Just below 1 is the user's choice: 1 - lr·wd stays positive.
        assertEquals(999.0, TrainConfig.defaults().with(Map.of("weight-decay", 999)).weightDecay());
    }

    /** --label-smoothing: [0, 1), off by default; 1 (only the uniform target) and non-numbers refused naming the flag. */
    @Test
    void labelSmoothingIsAFractionBelowOne() {
        assertEquals(0.0, TrainConfig.defaults().labelSmoothing());
        assertEquals(0.1, TrainConfig.defaults().with(Map.of("label-smoothing", "0.1")).labelSmoothing());
        String rule = "--label-smoothing must be a number in [0, 1) (0 = off; 0.1 is usual), got ";
        assertMessage(rule + "1.0", Map.of("label-smoothing", 1));
        assertMessage(rule + "-0.1", Map.of("label-smoothing", -0.1));
        assertMessage(rule + "NaN", Map.of("label-smoothing", "NaN"));
        assertMessage("--label-smoothing must be a number, got 'lots'", Map.of("label-smoothing", "lots"));
    }

    /** The name becomes the folder runs/NAME-TIMESTAMP: anything that would make it more than one folder is refused. */
    @Test
    void experimentNamesMustBeOnePlainFolderName() {
        assertMessage("--experiment-name must not contain a path separator ('/' or '\\'), got '../../x'",
                Map.of("experiment-name", "../../x"));
        assertMessage("--experiment-name must not contain a path separator", Map.of("experiment-name", "a/b"));
        assertMessage("--experiment-name must not contain a path separator", Map.of("experiment-name", "a\\b"));
        assertMessage("--experiment-name must not be '.' or '..', got '..'", Map.of("experiment-name", ".."));
        assertMessage("--experiment-name must not be '.' or '..', got '.'", Map.of("experiment-name", "."));
        assertMessage("--experiment-name must not contain control characters, got 'a?b'", Map.of("experiment-name", "a\nb"));
        assertMessage("--experiment-name must not be empty", Map.of("experiment-name", " "));
        for (String fine : new String[] {"ptt5-sum", "my run.v2", "..x", "resumo_ação"}) {
            assertEquals(fine, TrainConfig.defaults().with(Map.of("experiment-name", fine)).experimentName());
        }
    }

    private static void assertMessage(String expected, Map<String, ?> overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.defaults().with(overrides));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void scheduleFlagsPickTheirFormulas() {
        // lr(t) is the rate of the step after t completed steps (0-based, as PyTorch's LambdaLR).
        var constant = Schedules.of("constant", 1e-3, 0, 100);
        assertEquals(1e-3, constant.lr(0));
        var warm = Schedules.of("constant", 1e-3, 10, 100);
        assertEquals(0.5e-3, warm.lr(5), 1e-12);
        assertEquals(1e-3, warm.lr(50), 1e-12);
        var linear = Schedules.of("linear", 1e-3, 10, 110);
        assertEquals(1e-3, linear.lr(10), 1e-12);
        assertEquals(0.5e-3, linear.lr(60), 1e-12);
        assertEquals(0.0, linear.lr(110), 1e-12);
        var invSqrt = Schedules.of("inverse-sqrt", 1e-2, 100, 1000);
        assertEquals(1e-2, invSqrt.lr(100), 1e-12);
        assertEquals(1e-2 * Math.sqrt(100.0 / 400), invSqrt.lr(400), 1e-12);
    }
}
