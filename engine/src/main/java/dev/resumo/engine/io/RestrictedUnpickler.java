package dev.resumo.engine.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle reader that understands the opcodes {@code torch.save} emits for a state dict
 * (protocol 2, plus the protocol 4 framing opcodes) and nothing else. Values become Java objects:
 * tuples are unmodifiable {@code List}s, lists {@code ArrayList}s, dicts {@code LinkedHashMap}s,
 * ints {@code Long}, floats {@code Double}, strings {@code String}, None {@code null}. Globals,
 * calls, BUILD and persistent ids go through {@link PickleRules}; an opcode outside this set is
 * refused, so a pickle can never make this reader run code.
 */
final class RestrictedUnpickler {
    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final String source;
    private final ByteBuffer in;
    private final PickleRules rules;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private RestrictedUnpickler(String source, ByteBuffer in, PickleRules rules) {
        this.source = source;
        this.in = in.order(ByteOrder.LITTLE_ENDIAN);
        this.rules = rules;
    }

    /** Reads one pickled object from {@code bytes}; {@code source} names it in errors. */
    static Object load(String source, byte[] bytes, PickleRules rules) {
        return load(source, ByteBuffer.wrap(bytes), rules);
    }

    /**
     * Reads one pickled object starting at {@code in}'s position and leaves the position just
     * after its STOP, so that consecutive pickles (torch's legacy format) can be read in turn.
     */
    static Object load(String source, ByteBuffer in, PickleRules rules) {
        return new RestrictedUnpickler(source, in, rules).run();
    }

    private Object run() {
        try {
            return interpret();
        } catch (java.nio.BufferUnderflowException e) {
            throw error("pickle truncated at byte " + in.position());
        }
    }

    private Object interpret() {
        while (true) {
            if (!in.hasRemaining()) throw error("pickle ends without STOP");
            int at = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto < 2 || proto > 5) throw error("unsupported pickle protocol " + proto);
                }
                case 0x95 -> skip(8); // FRAME: length of the next frame; frames are read as one stream
                case '.' -> { // STOP
                    if (stack.size() != 1) throw error("pickle stack holds " + stack.size() + " items at STOP");
                    return stack.getFirst();
                }
                case '(' -> marks.add(stack.size()); // MARK
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                case 'c' -> push(rules.global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    String name = string(pop());
                    String module = string(pop());
                    push(rules.global(module, name));
                }
                case 'q' -> memo.put((long) u8(), peek()); // BINPUT
                case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(u32())); // LONG_BINGET
                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'J' -> push((long) in.getInt()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (in.getShort() & 0xffff)); // BININT2
                case 0x8a -> push(longN(u8())); // LONG1
                case 0x8b -> push(longN(in.getInt())); // LONG4
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT (big-endian)
                case 'X' -> push(utf8(in.getInt() & 0xffffffffL)); // BINUNICODE
                case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(in.getLong())); // BINUNICODE8
                case 'T' -> push(latin1(in.getInt() & 0xffffffffL)); // BINSTRING (Python 2 str)
                case 'U' -> push(latin1(u8())); // SHORT_BINSTRING
                case 'B' -> push(bytes(in.getInt() & 0xffffffffL)); // BINBYTES
                case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
                case ')' -> push(List.of()); // EMPTY_TUPLE
                case 't' -> push(tuple(popMark())); // TUPLE
                case 0x85 -> push(tuple(List.of(pop()))); // TUPLE1
                case 0x86 -> { // TUPLE2
                    Object b = pop();
                    push(tuple(List.of(pop(), b)));
                }
                case 0x87 -> { // TUPLE3
                    Object c = pop();
                    Object b = pop();
                    push(tuple(List.of(pop(), b, c)));
                }
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putPairs(d, popMark());
                    push(d);
                }
                case 's' -> { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    dict(peek()).put(k, v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(dict(peek()), items);
                }
                case 'Q' -> push(rules.persistentLoad(pop())); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    if (!(args instanceof List<?> tuple)) throw error("REDUCE arguments are not a tuple");
                    push(rules.call(callable, Collections.unmodifiableList(new ArrayList<>(tuple))));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    push(rules.build(pop(), state));
                }
                default -> throw error(String.format("unsupported pickle opcode 0x%02x ('%s') at byte %d",
                        op, op >= 0x20 && op < 0x7f ? String.valueOf((char) op) : "?", at));
            }
        }
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.getLast() == stack.size())) {
            throw error("pickle pops an empty stack");
        }
        return stack.removeLast();
    }

    private Object peek() {
        if (stack.isEmpty()) throw error("pickle reads an empty stack");
        return stack.getLast();
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw error("pickle has no MARK to pop to");
        int from = marks.removeLast();
        List<Object> items = new ArrayList<>(stack.subList(from, stack.size()));
        stack.subList(from, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key) {
        if (!memo.containsKey(key)) throw error("pickle reads memo slot " + key + " that was never written");
        return memo.get(key);
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(items);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw error("APPEND to something that is not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof LinkedHashMap<?, ?> m) return (Map<Object, Object>) m;
        throw error("SETITEM on something that is not a dict");
    }

    private void putPairs(Map<Object, Object> d, List<Object> items) {
        if (items.size() % 2 != 0) throw error("SETITEMS with an odd number of items");
        for (int i = 0; i < items.size(); i += 2) d.put(items.get(i), items.get(i + 1));
    }

    private String string(Object o) {
        if (o instanceof String s) return s;
        throw error("STACK_GLOBAL needs strings");
    }

    private int u8() {
        return in.get() & 0xff;
    }

    private long u32() {
        return in.getInt() & 0xffffffffL;
    }

    private void skip(long n) {
        need(n);
        in.position(in.position() + (int) n);
    }

    private void need(long n) {
        if (n < 0 || n > in.remaining()) throw error("pickle truncated: needs " + n + " more bytes");
    }

    private byte[] bytes(long n) {
        need(n);
        byte[] b = new byte[(int) n];
        in.get(b);
        return b;
    }

    private String utf8(long n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String latin1(long n) {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    /** A GLOBAL argument: text up to the next newline. */
    private String line() {
        int start = in.position();
        while (in.hasRemaining()) {
            if (in.get() == '\n') {
                byte[] text = new byte[in.position() - 1 - start];
                in.get(start, text);
                return new String(text, StandardCharsets.UTF_8);
            }
        }
        throw error("pickle truncated inside GLOBAL");
    }

    /**
     * Little-endian two's-complement integer of n bytes: a {@code Long} when it fits, else a
     * {@code BigInteger} (torch's legacy magic number is 77 bits).
     */
    private Object longN(long n) {
        if (n > 64) throw error("pickle integer of " + n + " bytes is too large");
        byte[] le = bytes(n);
        if (le.length == 0) return 0L;
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() <= 63 ? (Object) v.longValue() : v;
    }

    private CheckpointFormatException error(String what) {
        return new CheckpointFormatException(source + ": " + what);
    }
}
