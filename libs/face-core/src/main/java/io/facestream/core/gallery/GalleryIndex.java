package io.facestream.core.gallery;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Nearest-identity search over enrolled face embeddings. An identity may have several samples; its score
 * for a query is the best cosine over its samples. Vectors must be L2-normalised (cosine = dot product).
 * Implementations are thread-safe: the matcher reads while gallery updates arrive.
 */
public interface GalleryIndex {

    /** Adds or replaces one sample. */
    void put(String identityId, String sampleId, float[] unitVector);

    /** Removes one sample; no-op when absent. */
    void removeSample(String identityId, String sampleId);

    /** Removes every sample of an identity (erasure). */
    void removeIdentity(String identityId);

    /** The {@code k} best identities for the query, best first. */
    List<ScoredIdentity> search(float[] unitQuery, int k);

    /** Number of samples. */
    int size();

    /**
     * Hands every sample's (identity id, sample id) to the visitor, in no particular order: how a view that is
     * reopened from a persisted index learns which samples it holds.
     */
    void forEachSample(BiConsumer<String, String> identityAndSample);

    /** An identity and its best cosine to a query. */
    record ScoredIdentity(String identityId, double score) {
    }
}
