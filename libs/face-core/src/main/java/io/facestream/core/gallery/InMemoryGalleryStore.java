package io.facestream.core.gallery;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link GalleryIndexStore#exact}: one {@link ExactGalleryIndex} per model version, kept only in memory. */
final class InMemoryGalleryStore implements GalleryIndexStore {

    private final int dimension;
    private final Map<String, GalleryIndex> byModel = new ConcurrentHashMap<>();

    InMemoryGalleryStore(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        this.dimension = dimension;
    }

    @Override
    public GalleryIndex index(String modelVersion) {
        return byModel.computeIfAbsent(modelVersion, m -> new ExactGalleryIndex(dimension));
    }

    @Override
    public Set<String> persistedVersions() {
        return Set.of();
    }

    @Override
    public Map<Integer, Long> resumeOffsets() {
        return Map.of();
    }

    @Override
    public void commit(Map<Integer, Long> nextOffsets) {
        // nothing is persisted
    }

    @Override
    public void close() {
        byModel.clear();
    }
}
