package dev.resumo.train.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough protobuf reading to check a SentencePiece ModelProto in tests: the piece strings
 * (field 1 → SentencePiece.piece, field 1) and the normalizer spec (field 3 → name 1,
 * precompiled_charsmap 2). The real reader lives in the tokenizer module.
 */
record SpmModelSummary(List<String> pieces, String normalizerName, int charsmapBytes) {
    static SpmModelSummary parse(byte[] b) {
        List<String> pieces = new ArrayList<>();
        String[] normName = {null};
        int[] charsmap = {0};
        fields(b, 0, b.length, (field, start, end) -> {
            if (field == 1) {
                fields(b, start, end, (f, s, e) -> {
                    if (f == 1) pieces.add(new String(b, s, e - s, StandardCharsets.UTF_8));
                });
            } else if (field == 3) {
                fields(b, start, end, (f, s, e) -> {
                    if (f == 1) normName[0] = new String(b, s, e - s, StandardCharsets.UTF_8);
                    if (f == 2) charsmap[0] = e - s;
                });
            }
        });
        return new SpmModelSummary(pieces, normName[0], charsmap[0]);
    }

    interface LengthDelimited { void on(int field, int start, int end); }

    /** Walks the fields of a message in b[from, to), calling back for length-delimited ones. */
    static void fields(byte[] b, int from, int to, LengthDelimited cb) {
        int[] pos = {from};
        while (pos[0] < to) {
            long key = varint(b, pos);
            int field = (int) (key >>> 3), wire = (int) (key & 7);
            switch (wire) {
                case 0 -> varint(b, pos);
                case 1 -> pos[0] += 8;
                case 5 -> pos[0] += 4;
                case 2 -> {
                    int len = (int) varint(b, pos);
                    cb.on(field, pos[0], pos[0] + len);
                    pos[0] += len;
                }
                default -> throw new IllegalArgumentException("unsupported wire type " + wire + " at " + pos[0]);
            }
        }
    }

    static long varint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
    }
}
