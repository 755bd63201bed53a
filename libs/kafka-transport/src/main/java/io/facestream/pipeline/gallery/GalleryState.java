package io.facestream.pipeline.gallery;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.util.Map;

/**
 * What a {@link GalleryReplica} keeps in step with the {@code gallery} and {@code identities} topics: the
 * matcher's {@link GalleryView}, the retrainer's {@link GallerySamples}. Told of every record on the replica's
 * thread, in each topic's order (the two topics replay in no fixed order against each other).
 */
public interface GalleryState {

    /** @param sample null for the sample's tombstone */
    void applySample(GalleryKey key, GallerySample sample);

    /** @param identity null for the person's tombstone: erased for good */
    void applyIdentity(String identityId, Identity identity);

    /** Per gallery partition, where the replica starts reading; absent = the beginning. */
    default Map<Integer, Long> resumeOffsets() {
        return Map.of();
    }

    /** Persists the state with the gallery offsets it covers; nothing to do for a state kept in memory only. */
    default void commit(Map<Integer, Long> nextOffsets) {
    }
}
