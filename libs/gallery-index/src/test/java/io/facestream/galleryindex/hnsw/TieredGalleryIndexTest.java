package io.facestream.galleryindex.hnsw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.galleryindex.synthetic.FaceLikeGallery;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TieredGalleryIndexTest {

    private static final int DIM = 16;
    private static final HnswSettings SETTINGS = new HnswSettings(16, 100, 100, 0.2, 100_000, 16);

    @TempDir
    Path dir;

    @Test
    void searchesExactlyBelowTheLimitAndOnTheGraphFromIt() {
        float[][] centres = FaceLikeGallery.defaults(DIM, 3).centres(10);
        try (TieredGalleryIndex index = new TieredGalleryIndex(HnswGalleryIndex.inMemory(DIM, SETTINGS), DIM, 5)) {
            for (int i = 0; i < 4; i++) {
                index.put("id" + i, "s", centres[i]);
            }
            assertTrue(index.searchesExactly());
            assertEquals("id2", index.search(centres[2], 1).get(0).identityId());
            index.put("id4", "s", centres[4]);
            assertFalse(index.searchesExactly(), "5 samples reach the limit");
            assertEquals("id4", index.search(centres[4], 1).get(0).identityId());
            index.removeSample("id4", "s");
            index.removeSample("id3", "s");
            assertFalse(index.searchesExactly(), "no switching back while running");
            assertEquals(3, index.size());
        }
    }

    @Test
    void theStoreReopensEachVersionAndResumesAtTheSmallestCommittedOffsets() {
        float[][] centres = FaceLikeGallery.defaults(DIM, 4).centres(30);
        try (HnswGalleryStore store = new HnswGalleryStore(Optional.of(dir), DIM, SETTINGS, 10)) {
            assertTrue(store.persistedVersions().isEmpty());
            assertTrue(store.resumeOffsets().isEmpty());
            for (int i = 0; i < 30; i++) {
                store.index("m1").put("id" + i, "s", centres[i]);
            }
            store.index("m2/β").put("id0", "s", centres[0]);
            store.commit(Map.of(0, 31L, 1, 7L));
            store.index("m1").put("id-late", "s", centres[1]);
        }
        try (HnswGalleryStore store = new HnswGalleryStore(Optional.of(dir), DIM, SETTINGS, 10)) {
            assertEquals(java.util.Set.of("m1", "m2/β"), store.persistedVersions());
            assertEquals(Map.of(0, 31L, 1, 7L), store.resumeOffsets());
            assertEquals(30, store.index("m1").size());
            assertFalse(store.tiered("m1").orElseThrow().searchesExactly(), "30 samples: graph");
            assertTrue(store.tiered("m2/β").orElseThrow().searchesExactly(), "1 sample: exact mirror rebuilt");
            assertEquals("id0", store.index("m2/β").search(centres[0], 1).get(0).identityId());
        }
    }
}
