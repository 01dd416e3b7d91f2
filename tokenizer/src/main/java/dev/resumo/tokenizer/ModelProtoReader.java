package dev.resumo.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a SentencePiece {@code ModelProto} ({@code spiece.model}) with {@link ProtoReader}. */
final class ModelProtoReader {
    // ModelProto field numbers (sentencepiece_model.proto).
    private static final int PIECES = 1;
    private static final int TRAINER_SPEC = 2;
    private static final int NORMALIZER_SPEC = 3;

    private ModelProtoReader() {}

    static SentencePieceModel read(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TokenizerException("cannot read SentencePiece model " + file + ": " + e.getMessage(), e);
        }
        return parse(data, file.toString());
    }

    static SentencePieceModel parse(byte[] data, String source) {
        try {
            return parse(new ProtoReader(data, 0, data.length), source);
        } catch (ProtoReader.MalformedException e) {
            throw new TokenizerException(source + " is not a SentencePiece model (truncated or another format): "
                    + e.getMessage());
        }
    }

    private static SentencePieceModel parse(ProtoReader in, String source) throws ProtoReader.MalformedException {
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<PieceType> types = new ArrayList<>();
        TrainerSpec trainer = null;
        NormalizerSpec normalizer = null;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag >>> 3) {
                case PIECES -> {
                    ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED);
                    readPiece(in.readMessage(), pieces, scores, types, source);
                }
                case TRAINER_SPEC -> {
                    ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED);
                    trainer = readTrainerSpec(in.readMessage());
                }
                case NORMALIZER_SPEC -> {
                    ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED);
                    normalizer = readNormalizerSpec(in.readMessage());
                }
                default -> in.skip(tag);
            }
        }
        if (pieces.isEmpty()) throw new TokenizerException(source + " is not a SentencePiece model: it has no pieces");
        if (trainer == null) trainer = readTrainerSpec(new ProtoReader(new byte[0], 0, 0));
        if (normalizer == null) normalizer = readNormalizerSpec(new ProtoReader(new byte[0], 0, 0));
        float[] scoreArray = new float[scores.size()];
        for (int i = 0; i < scoreArray.length; i++) scoreArray[i] = scores.get(i);
        return new SentencePieceModel(List.copyOf(pieces), scoreArray, types.toArray(new PieceType[0]), trainer, normalizer);
    }

    private static void readPiece(ProtoReader in, List<String> pieces, List<Float> scores, List<PieceType> types,
                                  String source) throws ProtoReader.MalformedException {
        String piece = null;
        float score = 0;
        PieceType type = PieceType.NORMAL;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag >>> 3) {
                case 1 -> { ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED); piece = in.readString(); }
                case 2 -> { ProtoReader.expect(tag, ProtoReader.FIXED32); score = in.readFloat(); }
                case 3 -> {
                    ProtoReader.expect(tag, ProtoReader.VARINT);
                    long raw = in.readVarint();
                    type = PieceType.fromProto((int) raw);
                    if (type == null) {
                        throw new TokenizerException(source + ": piece " + pieces.size() + " has unknown type " + raw);
                    }
                }
                default -> in.skip(tag);
            }
        }
        if (piece == null || piece.isEmpty()) {
            throw new TokenizerException(source + ": piece " + pieces.size() + " is empty");
        }
        pieces.add(piece);
        scores.add(score);
        types.add(type);
    }

    private static TrainerSpec readTrainerSpec(ProtoReader in) throws ProtoReader.MalformedException {
        // Defaults are those of sentencepiece_model.proto.
        int modelType = TrainerSpec.UNIGRAM, unk = 0, bos = 1, eos = 2, pad = -1;
        boolean byteFallback = false, suffix = false;
        String unkSurface = " \u2047 ";
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag >>> 3) {
                case 3 -> { ProtoReader.expect(tag, ProtoReader.VARINT); modelType = in.readInt32(); }
                case 24 -> { ProtoReader.expect(tag, ProtoReader.VARINT); suffix = in.readBool(); }
                case 35 -> { ProtoReader.expect(tag, ProtoReader.VARINT); byteFallback = in.readBool(); }
                case 40 -> { ProtoReader.expect(tag, ProtoReader.VARINT); unk = in.readInt32(); }
                case 41 -> { ProtoReader.expect(tag, ProtoReader.VARINT); bos = in.readInt32(); }
                case 42 -> { ProtoReader.expect(tag, ProtoReader.VARINT); eos = in.readInt32(); }
                case 43 -> { ProtoReader.expect(tag, ProtoReader.VARINT); pad = in.readInt32(); }
                case 44 -> { ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED); unkSurface = in.readString(); }
                default -> in.skip(tag);
            }
        }
        return new TrainerSpec(modelType, unk, bos, eos, pad, byteFallback, suffix, unkSurface);
    }

    private static NormalizerSpec readNormalizerSpec(ProtoReader in) throws ProtoReader.MalformedException {
        String name = "";
        byte[] charsmap = new byte[0];
        boolean dummyPrefix = true, removeExtra = true, escape = true;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag >>> 3) {
                case 1 -> { ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED); name = in.readString(); }
                case 2 -> { ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED); charsmap = in.readBytes(); }
                case 3 -> { ProtoReader.expect(tag, ProtoReader.VARINT); dummyPrefix = in.readBool(); }
                case 4 -> { ProtoReader.expect(tag, ProtoReader.VARINT); removeExtra = in.readBool(); }
                case 5 -> { ProtoReader.expect(tag, ProtoReader.VARINT); escape = in.readBool(); }
                default -> in.skip(tag);
            }
        }
        return new NormalizerSpec(name, charsmap, dummyPrefix, removeExtra, escape);
    }
}
