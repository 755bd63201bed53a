package io.facestream.pipeline.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GalleryViewTest {

    private static GallerySample sample(String identity, String sampleId, String model) {
        return GallerySample.newBuilder().setIdentityId(identity).setSampleId(sampleId).setVector(List.of(1f, 0f))
                .setModelVersion(model).setEnrolledAt(Instant.EPOCH).build();
    }

    private static Identity identity(String id) {
        return Identity.newBuilder().setIdentityId(id).setDisplayName(id).setMetadata(Map.of())
                .setCreatedAt(Instant.EPOCH).build();
    }

    @Test
    void anErasedPersonStaysErasedWhateverOrderTheTopicsReplayIn() {
        // Replay where the identities topic (with the tombstone) is read before the gallery topic.
        GalleryView view = new GalleryView(2);
        view.applyIdentity("ann", identity("ann"));
        view.applyIdentity("ann", null);
        view.applySample(GalleryKey.of("ann", "s1"), sample("ann", "s1", "m"));
        assertTrue(view.search("m", new float[] {1, 0}, 5).isEmpty());
        assertTrue(view.sampleKeys("ann").isEmpty());
        // And the other order.
        GalleryView other = new GalleryView(2);
        other.applySample(GalleryKey.of("ann", "s1"), sample("ann", "s1", "m"));
        other.applyIdentity("ann", null);
        assertTrue(other.search("m", new float[] {1, 0}, 5).isEmpty());
    }

    @Test
    void modelVersionsAreSeparateIndexesAndVersionCountsUpdates() {
        GalleryView view = new GalleryView(2);
        long v0 = view.version();
        view.applySample(GalleryKey.of("bob", "s1"), sample("bob", "s1", "m1"));
        assertEquals(1, view.size("m1"));
        assertEquals(0, view.size("m2"));
        assertTrue(view.search("m2", new float[] {1, 0}, 5).isEmpty());
        assertEquals(1.0, view.search("m1", new float[] {1, 0}, 5).get(0).score(), 1e-6);
        assertEquals(v0 + 1, view.version());
        view.applySample(GalleryKey.of("bob", "s1"), null);
        assertEquals(0, view.size("m1"));
        assertTrue(view.sampleKeys("bob").isEmpty());
    }

    @Test
    void theKeysOfAPersonsSamplesAreListedForErasure() {
        GalleryView view = new GalleryView(2);
        view.applyIdentity("ann", identity("ann"));
        view.applySample(GalleryKey.of("ann", "s1"), sample("ann", "s1", "m1"));
        view.applySample(GalleryKey.of("ann", "s1@m2"), sample("ann", "s1@m2", "m2"));
        assertEquals(Set.of(GalleryKey.of("ann", "s1"), GalleryKey.of("ann", "s1@m2")), view.sampleKeys("ann"));
        view.applyIdentity("ann", null);
        assertTrue(view.identity("ann").isEmpty());
        assertTrue(view.sampleKeys("ann").isEmpty());
        assertEquals(0, view.size("m1") + view.size("m2"), "out of every version's index");
    }
}
