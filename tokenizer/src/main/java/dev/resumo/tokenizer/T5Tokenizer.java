package dev.resumo.tokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer of a T5 checkpoint, giving the ids Hugging Face's {@code T5Tokenizer} gives.
 *
 * <p>On top of SentencePiece: the special tokens ({@code <pad>}, {@code </s>}, {@code <unk>} and
 * {@code <extra_id_0>}…{@code <extra_id_99>}, the latter as the top 100 ids) are recognised anywhere
 * in the text, each stretch of text between them is encoded on its own (so it gets its own leading
 * {@code ▁}), {@code </s>} is appended on request, and decoding skips special tokens.
 *
 * <pre>{@code
 * T5Tokenizer tok = T5Tokenizer.load(Path.of("models/ptt5"));   // dir, spiece.model or tokenizer.json
 * int[] ids = tok.encode("Olá, mundo!");                        // ends with tok.eosId()
 * String text = tok.decode(ids);                                // "Olá, mundo!"
 * EncodedBatch b = tok.encodeBatch(texts, 512, true);           // truncated, padded with tok.padId()
 * }</pre>
 *
 * Thread-safe: every thread encodes with its own reusable buffers.
 */
public final class T5Tokenizer {
    /** How many {@code <extra_id_N>} sentinels T5 adds above the SentencePiece vocabulary. */
    public static final int EXTRA_IDS = 100;
    private static final String SPIECE = "spiece.model";
    private static final String TOKENIZER_JSON = "tokenizer.json";

    private final SentencePieceProcessor spm;
    private final HfSegmentEncoder hf;
    private final ThreadLocal<HfWorkspace> workspaces = ThreadLocal.withInitial(HfWorkspace::new);
    private final String[] tokens;
    private final boolean[] special;
    private final String[] addedByLength; // added tokens, longest first, for leftmost-longest matching
    private final int[] addedIdByLength;
    private final boolean[] addedStripsLeft;
    private final boolean[] addedStripsRight;
    private final boolean[] startsAddedToken; // by first char (BMP), to skip the matcher quickly
    private final int eosId;
    private final int padId;
    private final boolean decodeBytes;

    /**
     * @param specialTokens   added tokens that decoding skips (pad, eos, unk, extra ids)
     * @param ordinaryAdded   added tokens matched whole in text but kept by decoding (user-defined pieces)
     */
    T5Tokenizer(SentencePieceProcessor spm, Map<String, Integer> specialTokens, Map<String, Integer> ordinaryAdded,
                HfOptions options, String source) {
        this.spm = spm;
        SentencePieceModel model = spm.model();
        this.hf = new HfSegmentEncoder(
                new HfPrecompiledNormalizer(CharsMap.parse(model.normalizerSpec().precompiledCharsmap(), source)),
                new HfUnigramSegmenter(model, options.byteFallback(), source), options.prepend());
        int size = model.size();
        for (int id : specialTokens.values()) size = Math.max(size, id + 1);
        for (int id : ordinaryAdded.values()) size = Math.max(size, id + 1);
        tokens = new String[size];
        special = new boolean[size];
        for (int i = 0; i < model.size(); i++) tokens[i] = model.pieces().get(i);
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(specialTokens.entrySet());
        for (Map.Entry<String, Integer> e : ordinaryAdded.entrySet()) {
            if (e.getValue() < 0 || e.getValue() >= size || (tokens[e.getValue()] != null && !tokens[e.getValue()].equals(e.getKey()))) {
                throw new TokenizerException(source + ": added token " + e.getKey() + " has id " + e.getValue()
                        + ", which is not that piece");
            }
            tokens[e.getValue()] = e.getKey();
        }
        for (Map.Entry<String, Integer> e : entries) {
            int id = e.getValue();
            if (id < 0) throw new TokenizerException(source + ": special token " + e.getKey() + " has negative id " + id);
            if (tokens[id] != null && !tokens[id].equals(e.getKey())) {
                throw new TokenizerException(source + ": special token " + e.getKey() + " has id " + id
                        + ", which is the piece '" + tokens[id] + "'");
            }
            tokens[id] = e.getKey();
            special[id] = true;
        }
        for (int i = 0; i < size; i++) {
            if (tokens[i] == null) throw new TokenizerException(source + ": no token has id " + i);
        }
        entries.addAll(ordinaryAdded.entrySet());
        entries.sort(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length()).reversed());
        addedByLength = entries.stream().map(Map.Entry::getKey).toArray(String[]::new);
        addedIdByLength = entries.stream().mapToInt(Map.Entry::getValue).toArray();
        addedStripsLeft = new boolean[addedByLength.length];
        addedStripsRight = new boolean[addedByLength.length];
        for (int k = 0; k < addedByLength.length; k++) {
            addedStripsLeft[k] = options.stripLeft().contains(addedByLength[k]);
            addedStripsRight[k] = options.stripRight().contains(addedByLength[k]);
        }
        startsAddedToken = new boolean[65536];
        for (String t : addedByLength) {
            if (t.isEmpty()) throw new TokenizerException(source + ": an added token is empty");
            startsAddedToken[t.charAt(0)] = true;
        }
        Integer eos = specialTokens.get("</s>");
        Integer pad = specialTokens.get("<pad>");
        if (eos == null) throw new TokenizerException(source + ": the tokenizer has no </s> token");
        if (pad == null) throw new TokenizerException(source + ": the tokenizer has no <pad> token");
        eosId = eos;
        padId = pad;
        decodeBytes = options.decodeBytes();
    }

    /**
     * Loads a tokenizer from a {@code spiece.model}, a {@code tokenizer.json} (Unigram model), or a
     * directory holding either (the {@code spiece.model} is preferred).
     *
     * @throws TokenizerException when the path is missing or the file is not a usable tokenizer
     */
    public static T5Tokenizer load(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(SPIECE))) return load(path.resolve(SPIECE));
            if (Files.isRegularFile(path.resolve(TOKENIZER_JSON))) return load(path.resolve(TOKENIZER_JSON));
            throw new TokenizerException(path + " holds neither " + SPIECE + " nor " + TOKENIZER_JSON);
        }
        if (!Files.isRegularFile(path)) throw new TokenizerException("tokenizer file " + path + " does not exist");
        if (looksLikeJson(path)) return TokenizerJsonReader.read(path);
        return fromSentencePiece(ModelProtoReader.read(path), path.toString());
    }

    /** A T5 tokenizer over a SentencePiece model: its pad/eos/unk plus 100 extra ids on top. */
    static T5Tokenizer fromSentencePiece(SentencePieceModel model, String source) {
        SentencePieceProcessor spm = new SentencePieceProcessor(model, source);
        Map<String, Integer> specials = new LinkedHashMap<>();
        TrainerSpec t = model.trainerSpec();
        for (int id : new int[] {t.padId(), t.eosId(), t.unkId()}) {
            if (id >= 0 && id < model.size()) specials.put(model.pieces().get(id), id);
        }
        for (int n = 0; n < EXTRA_IDS; n++) specials.put("<extra_id_" + n + ">", model.size() + EXTRA_IDS - 1 - n);
        // transformers' converter makes user-defined pieces ordinary added tokens.
        Map<String, Integer> userDefined = new LinkedHashMap<>();
        for (int i = 0; i < model.size(); i++) {
            if (model.types()[i] == PieceType.USER_DEFINED) userDefined.put(model.pieces().get(i), i);
        }
        return new T5Tokenizer(spm, specials, userDefined,
                new HfOptions(model.normalizerSpec().addDummyPrefix() ? HfSegmentEncoder.Prepend.ALWAYS : HfSegmentEncoder.Prepend.NEVER,
                        false, false, java.util.Set.of(), java.util.Set.of()), source);
    }

    private static boolean looksLikeJson(Path path) {
        if (path.getFileName().toString().endsWith(".json")) return true;
        try (var in = Files.newInputStream(path)) {
            int b;
            do b = in.read(); while (b == ' ' || b == '\n' || b == '\r' || b == '\t');
            return b == '{';
        } catch (java.io.IOException e) {
            throw new TokenizerException("cannot read tokenizer file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Ids of {@code text}, ending with {@code </s>}. */
    public int[] encode(String text) {
        return encode(text, true);
    }

    /** Ids of {@code text}; {@code addEos} appends {@code </s>}. An empty text gives {@code [</s>]}. */
    public int[] encode(String text, boolean addEos) {
        HfWorkspace w = workspaces.get();
        IntList out = w.ids;
        out.clear();
        int segmentStart = 0;
        int n = text.length();
        for (int i = 0; i < n; ) {
            int match = startsAddedToken[text.charAt(i)] ? matchAdded(text, i) : -1;
            if (match < 0) {
                i++;
                continue;
            }
            int segmentEnd = i;
            if (addedStripsLeft[match]) {
                while (segmentEnd > segmentStart && HfSegmentEncoder.isWhiteSpace(text.charAt(segmentEnd - 1))) segmentEnd--;
            }
            if (segmentEnd > segmentStart) hf.encode(text, segmentStart, segmentEnd, w, out);
            out.add(addedIdByLength[match]);
            i += addedByLength[match].length();
            if (addedStripsRight[match]) {
                while (i < n && HfSegmentEncoder.isWhiteSpace(text.charAt(i))) i++;
            }
            segmentStart = i;
        }
        if (n > segmentStart) hf.encode(text, segmentStart, n, w, out);
        if (addEos) out.add(eosId);
        return out.toArray();
    }

    /** Index into addedByLength of the longest added token at {@code text[at..]}, or -1. */
    private int matchAdded(String text, int at) {
        for (int k = 0; k < addedByLength.length; k++) {
            if (text.startsWith(addedByLength[k], at)) return k;
        }
        return -1;
    }

    /**
     * Encodes each text, truncating to {@code maxLength} tokens (keeping {@code </s>} last when
     * {@code addEos}) and padding every row with {@link #padId()} to the longest row.
     */
    public EncodedBatch encodeBatch(List<String> texts, int maxLength, boolean addEos) {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("maxLength must be at least 1, got " + maxLength);
        }
        int[][] rows = new int[texts.size()][];
        for (int r = 0; r < rows.length; r++) rows[r] = encodeTruncated(texts.get(r), maxLength, addEos);
        return pad(rows);
    }

    /** One text's ids as {@link #encodeBatch} puts them in its row: at most {@code maxLength}, {@code </s>} kept last when {@code addEos}. */
    public int[] encodeTruncated(String text, int maxLength, boolean addEos) {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("maxLength must be at least 1, got " + maxLength);
        }
        int[] ids = encode(text, addEos);
        if (ids.length > maxLength) {
            ids = Arrays.copyOf(ids, maxLength);
            if (addEos) ids[maxLength - 1] = eosId;
        }
        return ids;
    }

    /** Rows of ids as a batch: each padded with {@link #padId()} to the longest, its mask 1 over its own ids. */
    public EncodedBatch pad(int[][] rows) {
        int width = 0;
        for (int[] row : rows) width = Math.max(width, row.length);
        int[][] ids = new int[rows.length][width];
        int[][] mask = new int[rows.length][width];
        int[] lengths = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, ids[r], 0, rows[r].length);
            Arrays.fill(ids[r], rows[r].length, width, padId);
            Arrays.fill(mask[r], 0, rows[r].length, 1);
            lengths[r] = rows[r].length;
        }
        return new EncodedBatch(ids, mask, lengths);
    }

    /**
     * Text of {@code ids}, skipping special tokens (pad, eos, unk, extra ids) and turning {@code ▁}
     * back into spaces, as Hugging Face's {@code decode(ids, skip_special_tokens=True)}.
     */
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        ByteSink bytes = null;
        boolean first = true;
        for (int id : ids) {
            checkId(id);
            if (special[id]) continue;
            String token = tokens[id];
            if (decodeBytes && token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) {
                if (bytes == null) bytes = new ByteSink(16);
                bytes.append((byte) UnigramSegmenter.parseBytePiece(token, "model"));
                continue;
            }
            if (bytes != null && bytes.length > 0) {
                text.append(new String(bytes.bytes, 0, bytes.length, StandardCharsets.UTF_8));
                bytes.reset();
            }
            if (first && !decodeBytes) {
                // HF's Metaspace decoder drops every ▁ of the first token rather than turning it into a space.
                text.append(token.replace("\u2581", ""));
            } else {
                text.append(token.replace('\u2581', ' '));
            }
            first = false;
        }
        if (bytes != null && bytes.length > 0) text.append(new String(bytes.bytes, 0, bytes.length, StandardCharsets.UTF_8));
        // With byte fallback HF decodes with Replace(▁→' '), ByteFallback, Fuse, then strips one leading space.
        if (decodeBytes && !text.isEmpty() && text.charAt(0) == ' ') text.deleteCharAt(0);
        return text.toString();
    }

    /** The token string of each id ({@code ▁word}, {@code </s>}, {@code <extra_id_0>}, ...). */
    public List<String> pieces(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            checkId(id);
            out.add(tokens[id]);
        }
        return out;
    }

    /** Id of a token string, or -1 when there is none. */
    public int tokenId(String token) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].equals(token)) return i;
        }
        return -1;
    }

    public int padId() {
        return padId;
    }

    public int eosId() {
        return eosId;
    }

    /** Number of ids: the SentencePiece pieces plus the extra ids (32,100 for PTT5). */
    public int vocabSize() {
        return tokens.length;
    }

    /** True for pad, eos, unk and extra ids: the tokens {@link #decode} skips. */
    public boolean isSpecial(int id) {
        checkId(id);
        return special[id];
    }

    /** The plain SentencePiece encoder/decoder underneath (no special tokens, no {@code </s>}). */
    public SentencePieceProcessor sentencePiece() {
        return spm;
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new TokenizerException("id " + id + " is outside the vocabulary (0.." + (tokens.length - 1) + ")");
        }
    }
}
