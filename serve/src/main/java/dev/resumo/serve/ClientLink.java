package dev.resumo.serve;

/** What a handler may ask about the client while it works: whether it has gone away. */
@FunctionalInterface
public interface ClientLink {
    /** True once the client has closed its connection (it will never read the answer). */
    boolean gone();

    ClientLink ALWAYS_THERE = () -> false;
}
