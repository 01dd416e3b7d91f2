package dev.resumo.t5.hub;

/**
 * A download from the model hub that did not give a usable file. The message is one line meant for
 * the user (what failed, which repository/file, what to do); {@link #kind()} lets callers and
 * tests tell the cases apart.
 */
public final class HubException extends RuntimeException {
    /** Why the download failed. */
    public enum Kind {
        /** 401/403: private or gated repository, or a token without access. */
        UNAUTHORIZED,
        /** 404: repository, revision or file does not exist. */
        NOT_FOUND,
        /** The endpoint could not be reached, or the connection broke mid-download. */
        NETWORK,
        /** The bytes arrived but do not match the size or sha256 the hub announced. */
        CORRUPT,
        /** Any other HTTP answer. */
        HTTP,
        /** The local cache folder could not be read or written. */
        LOCAL_IO
    }

    private final Kind kind;

    public HubException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
