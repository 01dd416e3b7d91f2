package dev.resumo.engine.io;

import java.util.List;

/**
 * What a {@link RestrictedUnpickler} may do beyond building plain values: the only globals it may
 * name, what calling them means, and what persistent ids stand for. Everything is decided by the
 * implementation in Java; nothing from the pickle is ever executed.
 */
interface PickleRules {
    /**
     * The object a GLOBAL opcode names, or throws {@link CheckpointFormatException} if it is not on
     * the allow-list.
     */
    Object global(String module, String name);

    /** REDUCE: {@code callable(args...)}, where callable came from {@link #global}. */
    Object call(Object callable, List<Object> args);

    /** BUILD: sets {@code state} on {@code target}; returns the object that stays on the stack. */
    Object build(Object target, Object state);

    /** BINPERSID: the object a persistent id refers to. */
    Object persistentLoad(Object id);
}
