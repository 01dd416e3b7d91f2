package dev.resumo.train.data;

/** One row left out: where it was (file, 1-based line of its start), why, and a short detail. */
public record Rejection(String file, long line, RejectReason reason, String id, String detail) {
    public String describe() {
        return file + ":" + line + ": " + reason.label() + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
