package io.facestream.core.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.gallery.GalleryIndex.ScoredIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactGalleryIndexTest {

    // 2-d unit vectors whose cosines are easy to check by hand
    private static final float[] EAST = {1, 0};
    private static final float[] NORTH = {0, 1};
    private static final float[] NORTH_EAST = {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5)};

    @Test
    void ranksIdentitiesByTheirBestSample() {
        GalleryIndex index = new ExactGalleryIndex(2);
        index.put("alice", "a1", EAST);
        index.put("alice", "a2", NORTH);
        index.put("bob", "b1", NORTH_EAST);
        List<ScoredIdentity> top = index.search(new float[] {0.6f, 0.8f}, 5);
        // alice: max(0.6, 0.8) = 0.8; bob: (0.6 + 0.8)·√½ ≈ 0.98995
        assertEquals(List.of("bob", "alice"), top.stream().map(ScoredIdentity::identityId).toList());
        assertEquals(0.98995, top.get(0).score(), 1e-5);
        assertEquals(0.8, top.get(1).score(), 1e-6);
        assertEquals(1, index.search(new float[] {0.6f, 0.8f}, 1).size());
        assertEquals(3, index.size());
    }

    @Test
    void removalsAndReplacementsKeepTheCountRight() {
        GalleryIndex index = new ExactGalleryIndex(2);
        index.put("alice", "a1", EAST);
        index.put("alice", "a1", NORTH); // replaces
        assertEquals(1, index.size());
        assertEquals(1.0, index.search(NORTH, 1).get(0).score(), 1e-6);
        index.put("bob", "b1", EAST);
        index.removeSample("alice", "a1");
        index.removeSample("alice", "missing");
        assertEquals(List.of("bob"), index.search(NORTH, 5).stream().map(ScoredIdentity::identityId).toList());
        index.removeIdentity("bob");
        assertEquals(0, index.size());
        assertTrue(index.search(NORTH, 5).isEmpty());
    }

    @Test
    void rejectsVectorsOfTheWrongDimension() {
        GalleryIndex index = new ExactGalleryIndex(2);
        assertThrows(IllegalArgumentException.class, () -> index.put("a", "s", new float[3]));
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[3], 1));
    }
}
