package io.facestream.search.history;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to look for in the history: faces similar to any of the query vectors (a face's score is its best cosine
 * to a query of its model version), seen in {@code [fromMs, toMs)}, optionally on one camera.
 *
 * @param minScore least cosine for a hit
 * @param limit most hits returned, best first
 */
public record HistoryQuery(List<QueryVector> queries, Optional<String> cameraId, long fromMs, long toMs,
        double minScore, int limit) {

    public HistoryQuery {
        queries = List.copyOf(queries);
        Objects.requireNonNull(cameraId, "cameraId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        if (fromMs > toMs) {
            throw new IllegalArgumentException("from (" + fromMs + ") is after to (" + toMs + ")");
        }
    }
}
