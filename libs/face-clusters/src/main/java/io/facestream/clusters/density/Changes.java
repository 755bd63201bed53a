package io.facestream.clusters.density;

import java.util.List;

/**
 * What one operation did to the clusters, to publish: the new state of each changed cluster, the clusters that
 * are gone, and the merges (the absorbed id and the survivor).
 */
public record Changes(List<ClusterView> updated, List<String> removed, List<Merge> merges) {

    public static final Changes NONE = new Changes(List.of(), List.of(), List.of());

    public Changes {
        updated = List.copyOf(updated);
        removed = List.copyOf(removed);
        merges = List.copyOf(merges);
    }

    public boolean isEmpty() {
        return updated.isEmpty() && removed.isEmpty() && merges.isEmpty();
    }

    /** Two clusters grew into each other: {@code absorbed} now points to {@code survivor}. */
    public record Merge(String absorbed, String survivor) {
    }
}
