package io.facestream.search.history;

import java.util.List;

/** Hits best first, and the window each model version covers. */
public record HistoryResult(List<HistoryHit> hits, List<ModelWindow> windows) {

    public HistoryResult {
        hits = List.copyOf(hits);
        windows = List.copyOf(windows);
    }
}
