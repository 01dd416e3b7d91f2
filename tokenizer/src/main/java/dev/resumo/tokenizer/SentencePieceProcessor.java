package dev.resumo.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Plain SentencePiece behaviour for one model: {@code encode} gives what the C++ library's
 * {@code EncodeAsIds} gives (no special tokens recognised, no {@code </s>}), {@code decode} what
 * its {@code DecodeIds} gives ({@code <unk>} as " ⁇ ", control pieces dropped). Thread-safe: each
 * thread encodes with its own reusable buffers.
 */
public final class SentencePieceProcessor {
    private final SentencePieceModel model;
    private final SpmNormalizer normalizer;
    private final UnigramSegmenter segmenter;
    private final ThreadLocal<EncodeWorkspace> workspaces = ThreadLocal.withInitial(EncodeWorkspace::new);

    SentencePieceProcessor(SentencePieceModel model, String source) {
        if (model.trainerSpec().modelType() != TrainerSpec.UNIGRAM) {
            throw new TokenizerException(source + ": model type " + model.trainerSpec().modelType()
                    + " is not supported (only unigram, type 1)");
        }
        this.model = model;
        this.segmenter = new UnigramSegmenter(model, source);
        this.normalizer = new SpmNormalizer(model.normalizerSpec(),
                CharsMap.parse(model.normalizerSpec().precompiledCharsmap(), source),
                userDefinedTrie(model), model.trainerSpec().treatWhitespaceAsSuffix());
    }

    private static PieceTrie userDefinedTrie(SentencePieceModel model) {
        PieceTrie trie = null;
        for (int i = 0; i < model.size(); i++) {
            if (model.types()[i] == PieceType.USER_DEFINED) {
                if (trie == null) trie = new PieceTrie(64);
                trie.put(model.pieces().get(i), i);
            }
        }
        return trie;
    }

    public SentencePieceModel model() {
        return model;
    }

    /** The ids SentencePiece gives for {@code text}. */
    public int[] encode(String text) {
        EncodeWorkspace w = workspaces.get();
        w.ids.clear();
        encodeSpan(text, 0, text.length(), w, w.ids);
        return w.ids.toArray();
    }

    /** The normalized text ({@code ▁} for spaces, dummy prefix included) SentencePiece segments. */
    public String normalize(String text) {
        EncodeWorkspace w = workspaces.get();
        w.utf8.reset();
        Utf8.encode(w.chars(text, 0, text.length()), 0, text.length(), w.utf8);
        normalizer.normalize(w.utf8.bytes, w.utf8.length, w.normalized);
        return new String(w.normalized.bytes, 0, w.normalized.length, StandardCharsets.UTF_8);
    }

    SpmNormalizer normalizerForProf() {
        return normalizer;
    }

    EncodeWorkspace workspace() {
        return workspaces.get();
    }

    /** Appends the ids of {@code text[from..to)} to {@code out}. */
    void encodeSpan(String text, int from, int to, EncodeWorkspace w, IntList out) {
        w.utf8.reset();
        Utf8.encode(w.chars(text, from, to), 0, to - from, w.utf8);
        normalizer.normalize(w.utf8.bytes, w.utf8.length, w.normalized);
        segmenter.encode(w.normalized.bytes, w.normalized.length, w, out);
    }

    /** SentencePiece's {@code DecodeIds}. */
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
        boolean atStart = true;
        boolean stripFirstSpace = model.normalizerSpec().addDummyPrefix() || model.normalizerSpec().removeExtraWhitespaces();
        List<String> pieces = model.pieces();
        for (int id : ids) {
            checkId(id);
            PieceType type = model.types()[id];
            if (type == PieceType.BYTE) {
                pendingBytes.write(UnigramSegmenter.parseBytePiece(pieces.get(id), "model"));
                continue;
            }
            if (pendingBytes.size() > 0) {
                String bytes = flushBytes(pendingBytes);
                if (atStart && stripFirstSpace && bytes.startsWith(" ")) bytes = bytes.substring(1);
                text.append(bytes);
                atStart = false;
            }
            if (type == PieceType.CONTROL) continue;
            if (type == PieceType.UNKNOWN) {
                text.append(model.trainerSpec().unkSurface());
                atStart = false;
                continue;
            }
            String piece = pieces.get(id);
            if (atStart && stripFirstSpace && piece.startsWith("\u2581")) piece = piece.substring(1);
            text.append(piece.replace('\u2581', ' '));
            atStart = false;
        }
        if (pendingBytes.size() > 0) {
            String bytes = flushBytes(pendingBytes);
            if (atStart && stripFirstSpace && bytes.startsWith(" ")) bytes = bytes.substring(1);
            text.append(bytes);
        }
        return text.toString();
    }

    private static String flushBytes(ByteArrayOutputStream pending) {
        // Malformed sequences become U+FFFD, as SentencePiece does.
        String s = new String(pending.toByteArray(), StandardCharsets.UTF_8);
        pending.reset();
        return s;
    }

    void checkId(int id) {
        if (id < 0 || id >= model.size()) {
            throw new TokenizerException("id " + id + " is outside the vocabulary (0.." + (model.size() - 1) + ")");
        }
    }
}
