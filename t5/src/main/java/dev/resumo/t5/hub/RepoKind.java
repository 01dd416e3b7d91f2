package dev.resumo.t5.hub;

/**
 * What a hub repository holds; it decides the URL prefix: models live at {@code /{repo}/...},
 * datasets at {@code /datasets/{repo}/...}, and the API at {@code /api/models|datasets/{repo}}.
 */
public enum RepoKind {
    MODEL("", "models"),
    DATASET("datasets/", "datasets");

    /** Prefix of the file URLs ({@code resolve}). */
    final String pathPrefix;
    /** Segment of the API URLs. */
    final String apiSegment;

    RepoKind(String pathPrefix, String apiSegment) {
        this.pathPrefix = pathPrefix;
        this.apiSegment = apiSegment;
    }
}
