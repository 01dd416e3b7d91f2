package dev.resumo.t5.hub;

import java.util.regex.Pattern;

/** A hub repository id, {@code ORG/NAME} (e.g. {@code unicamp-dl/ptt5-base-portuguese-vocab}). */
public record RepoId(String owner, String name) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");

    public RepoId {
        if (!valid(owner) || !valid(name)) {
            throw new IllegalArgumentException("'" + owner + "/" + name + "' is not a hub repository id (ORG/NAME of"
                    + " letters, digits, '.', '_', '-')");
        }
    }

    private static boolean valid(String part) {
        return part != null && PART.matcher(part).matches() && !part.contains("..") && !part.contains("--");
    }

    /** True if {@code text} has the form ORG/NAME. */
    public static boolean looksLike(String text) {
        int slash = text.indexOf('/');
        return slash > 0 && slash == text.lastIndexOf('/') && valid(text.substring(0, slash))
                && valid(text.substring(slash + 1));
    }

    /** Parses ORG/NAME; throws {@link IllegalArgumentException} naming the text otherwise. */
    public static RepoId parse(String text) {
        if (!looksLike(text)) {
            throw new IllegalArgumentException("'" + text + "' is not a hub repository id (expected ORG/NAME,"
                    + " e.g. unicamp-dl/ptt5-base-portuguese-vocab)");
        }
        int slash = text.indexOf('/');
        return new RepoId(text.substring(0, slash), text.substring(slash + 1));
    }

    /** Folder name in the cache: {@code ORG--NAME} (the hub forbids "--" inside either part). */
    public String cacheName() {
        return owner + "--" + name;
    }

    @Override
    public String toString() {
        return owner + "/" + name;
    }
}
