package dev.resumo.train.checkpoint;

import dev.resumo.train.batch.TokenizedExample;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a checkpoint was trained on, in a few bytes: the number of training examples and a hash of
 * their token ids in order ("192:1f0e...", 16 hex digits). A resume compares it with the data it
 * has now, so a dataset file edited, re-exported or replaced while the run was stopped is said
 * instead of silently giving a run that matches no uninterrupted one.
 */
public final class DataFingerprint {
    private DataFingerprint() {}

    public static String of(List<TokenizedExample> examples) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        for (TokenizedExample e : examples) {
            // Lengths first, so that [1 2][3] and [1][2 3] differ.
            put(sha, buf, e.source().length);
            for (int id : e.source()) put(sha, buf, id);
            put(sha, buf, e.target().length);
            for (int id : e.target()) put(sha, buf, id);
        }
        buf.flip();
        sha.update(buf);
        return examples.size() + ":" + HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    private static void put(MessageDigest sha, ByteBuffer buf, int value) {
        if (buf.remaining() < 4) {
            buf.flip();
            sha.update(buf);
            buf.clear();
        }
        buf.putInt(value);
    }

    /** The example count of a fingerprint ("192" of "192:1f0e..."), for messages. */
    public static String examples(String fingerprint) {
        int colon = fingerprint.indexOf(':');
        return colon < 0 ? "?" : fingerprint.substring(0, colon);
    }
}
