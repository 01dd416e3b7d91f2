package dev.resumo.train;

/** Learning rate at a given (1-based) optimizer step. */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step);
}
