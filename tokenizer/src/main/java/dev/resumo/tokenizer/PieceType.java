package dev.resumo.tokenizer;

/** The kind of a vocabulary entry, numbered as in SentencePiece's {@code ModelProto.SentencePiece.Type}. */
public enum PieceType {
    NORMAL,
    /** The {@code <unk>} piece, given to characters no piece covers. */
    UNKNOWN,
    /** Markers such as {@code </s>} and {@code <pad>}: never produced from text by SentencePiece. */
    CONTROL,
    /** Pieces always matched whole, before normalization splits them. */
    USER_DEFINED,
    /** Unused slots: in the vocabulary but never produced. */
    UNUSED,
    /** {@code <0xNN>} pieces used by byte fallback. */
    BYTE;

    static PieceType fromProto(int value) {
        return switch (value) {
            case 1 -> NORMAL;
            case 2 -> UNKNOWN;
            case 3 -> CONTROL;
            case 4 -> USER_DEFINED;
            case 5 -> UNUSED;
            case 6 -> BYTE;
            default -> null;
        };
    }
}
