package io.facestream.core.gallery;

import java.util.Map;
import java.util.Set;

/**
 * Where a gallery view gets its indexes, one per embedding model version, and how it persists them. The view
 * is fed from the compacted {@code gallery} topic; a store that persists its indexes records, with each commit,
 * the next offset of every partition of that topic, so a restart reopens the indexes and replays only the
 * records that are newer. Applying a record twice is harmless (a put replaces, a tombstone removes), so a
 * commit may cover more records than its offsets say, never fewer.
 */
public interface GalleryIndexStore extends AutoCloseable {

    /** The index of a model version, opened or created on first use; the same instance afterwards. */
    GalleryIndex index(String modelVersion);

    /** Model versions whose index was found persisted when the store was opened. */
    Set<String> persistedVersions();

    /**
     * Per partition of the gallery topic, the first offset that is not in every persisted index; a partition
     * that is absent is read from its beginning. Empty when nothing is persisted.
     */
    Map<Integer, Long> resumeOffsets();

    /**
     * Makes every index durable together with the offsets it covers.
     *
     * @param nextOffsets per gallery partition, the offset after the last record applied before this call
     */
    void commit(Map<Integer, Long> nextOffsets);

    @Override
    void close();

    /** Exact in-memory indexes, nothing persisted: a restart rebuilds them from the topic. */
    static GalleryIndexStore exact(int dimension) {
        return new InMemoryGalleryStore(dimension);
    }
}
