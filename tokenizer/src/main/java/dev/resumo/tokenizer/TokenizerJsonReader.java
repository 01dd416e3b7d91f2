package dev.resumo.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face {@code tokenizer.json} whose model is Unigram (what the transformers
 * converter makes from a {@code spiece.model}) into the same {@link SentencePieceModel}: vocabulary
 * and scores from {@code model.vocab}, the charsmap from the {@code Precompiled} normalizer, the
 * dummy prefix from the {@code Metaspace} pre-tokenizer, special tokens from {@code added_tokens}.
 */
final class TokenizerJsonReader {
    private TokenizerJsonReader() {}

    static T5Tokenizer read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new TokenizerException(file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TokenizerException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new TokenizerException(file + " is not a tokenizer.json (no JSON object)");
        String source = file.toString();
        JsonNode model = root.path("model");
        if (!model.isObject() || !model.has("type")) {
            // e.g. a model's config.json: say what the file is not, not which model type is missing.
            throw new TokenizerException(source + " is not a tokenizer.json (no \"model\" with a \"type\");"
                    + " give a SentencePiece .model file, a tokenizer.json or a folder holding one");
        }
        if (!"Unigram".equals(model.path("type").asText())) {
            throw new TokenizerException(source + ": model type '" + model.path("type").asText()
                    + "' is not supported (only Unigram)");
        }
        JsonNode vocab = model.path("vocab");
        if (!vocab.isArray() || vocab.isEmpty()) throw new TokenizerException(source + ": model.vocab is missing or empty");
        int unkId = model.path("unk_id").asInt(-1);
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);

        Map<String, Integer> specials = new LinkedHashMap<>();
        Map<String, Integer> ordinary = new LinkedHashMap<>();
        java.util.Set<String> stripLeft = new java.util.HashSet<>();
        java.util.Set<String> stripRight = new java.util.HashSet<>();
        for (JsonNode t : root.path("added_tokens")) {
            if (!t.path("content").isTextual() || !t.path("id").canConvertToInt()) {
                throw new TokenizerException(source + ": an added_tokens entry lacks content or id");
            }
            String content = t.path("content").asText();
            if (t.path("single_word").asBoolean(false)) {
                throw new TokenizerException(source + ": added token " + content + " is single_word, which is not supported");
            }
            if (t.path("lstrip").asBoolean(false)) stripLeft.add(content);
            if (t.path("rstrip").asBoolean(false)) stripRight.add(content);
            (t.path("special").asBoolean(false) ? specials : ordinary).put(content, t.path("id").asInt());
        }

        List<String> pieces = new ArrayList<>(vocab.size());
        float[] scores = new float[vocab.size()];
        PieceType[] types = new PieceType[vocab.size()];
        for (int i = 0; i < vocab.size(); i++) {
            JsonNode entry = vocab.get(i);
            if (!entry.isArray() || entry.size() != 2 || !entry.get(0).isTextual() || !entry.get(1).isNumber()) {
                throw new TokenizerException(source + ": model.vocab[" + i + "] is not a [piece, score] pair");
            }
            String piece = entry.get(0).asText();
            pieces.add(piece);
            scores[i] = (float) entry.get(1).asDouble();
            Integer specialId = specials.get(piece);
            Integer ordinaryId = ordinary.get(piece);
            if (i == unkId) types[i] = PieceType.UNKNOWN;
            else if (specialId != null && specialId == i) types[i] = PieceType.CONTROL;
            else if (ordinaryId != null && ordinaryId == i) types[i] = PieceType.USER_DEFINED;
            else if (byteFallback && piece.length() == 6 && piece.matches("<0x[0-9A-F]{2}>")) types[i] = PieceType.BYTE;
            else types[i] = PieceType.NORMAL;
        }
        if (unkId < 0 || unkId >= pieces.size()) throw new TokenizerException(source + ": model.unk_id is missing or out of range");

        byte[] charsmap = findCharsmap(root.path("normalizer"), source);
        HfSegmentEncoder.Prepend prepend = findPrepend(root.path("pre_tokenizer"));
        boolean dummyPrefix = prepend != HfSegmentEncoder.Prepend.NEVER;
        int eos = specials.getOrDefault("</s>", -1);
        int pad = specials.getOrDefault("<pad>", -1);
        TrainerSpec trainer = new TrainerSpec(TrainerSpec.UNIGRAM, unkId, -1, eos, pad, byteFallback, false, " \u2047 ");
        NormalizerSpec normalizer = new NormalizerSpec("tokenizer.json", charsmap, dummyPrefix, true, true);
        SentencePieceModel spModel = new SentencePieceModel(List.copyOf(pieces), scores, types, trainer, normalizer);
        boolean decodeBytes = root.path("decoder").toString().contains("\"ByteFallback\"");
        return new T5Tokenizer(new SentencePieceProcessor(spModel, source), specials, ordinary,
                new HfOptions(prepend, byteFallback, decodeBytes, stripLeft, stripRight), source);
    }

    /** The Precompiled normalizer's charsmap, at the top or inside a Sequence; empty when none. */
    private static byte[] findCharsmap(JsonNode normalizer, String source) {
        if (normalizer.isMissingNode() || normalizer.isNull()) return new byte[0];
        String type = normalizer.path("type").asText();
        if ("Precompiled".equals(type)) {
            try {
                return Base64.getDecoder().decode(normalizer.path("precompiled_charsmap").asText());
            } catch (IllegalArgumentException e) {
                throw new TokenizerException(source + ": precompiled_charsmap is not valid base64");
            }
        }
        if ("Sequence".equals(type)) {
            for (JsonNode n : normalizer.path("normalizers")) {
                byte[] found = findCharsmap(n, source);
                if (found.length > 0) return found;
            }
            return new byte[0];
        }
        // Strip/Replace collapse whitespace the way SentencePiece's own rules already do.
        if ("Strip".equals(type) || "Replace".equals(type)) return new byte[0];
        throw new TokenizerException(source + ": normalizer type '" + type + "' is not supported");
    }

    /** When the Metaspace pre-tokenizer puts a ▁ in front of a word (prepend_scheme, or add_prefix_space). */
    private static HfSegmentEncoder.Prepend findPrepend(JsonNode pre) {
        if (pre.isMissingNode() || pre.isNull()) return HfSegmentEncoder.Prepend.ALWAYS;
        if ("Metaspace".equals(pre.path("type").asText())) {
            if (pre.has("prepend_scheme")) {
                return switch (pre.path("prepend_scheme").asText()) {
                    case "never" -> HfSegmentEncoder.Prepend.NEVER;
                    case "first" -> HfSegmentEncoder.Prepend.FIRST;
                    default -> HfSegmentEncoder.Prepend.ALWAYS;
                };
            }
            return pre.path("add_prefix_space").asBoolean(true) ? HfSegmentEncoder.Prepend.ALWAYS : HfSegmentEncoder.Prepend.NEVER;
        }
        for (JsonNode n : pre.path("pretokenizers")) {
            if ("Metaspace".equals(n.path("type").asText())) return findPrepend(n);
        }
        return HfSegmentEncoder.Prepend.ALWAYS;
    }
}
