package dev.resumo.serve;

/** Asked by an engine between units of work: once true, the result will not be read. */
@FunctionalInterface
public interface CancellationToken {
    boolean isCancelled();

    CancellationToken NEVER = () -> false;
}
