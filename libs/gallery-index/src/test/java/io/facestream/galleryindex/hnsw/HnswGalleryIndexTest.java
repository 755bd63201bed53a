package io.facestream.galleryindex.hnsw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.gallery.ExactGalleryIndex;
import io.facestream.core.gallery.GalleryIndex.ScoredIdentity;
import io.facestream.galleryindex.synthetic.FaceLikeGallery;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HnswGalleryIndexTest {

    private static final int DIM = 32;
    /** A small buffer so the fixture spans several segments, as a large gallery does. */
    private static final HnswSettings SETTINGS = new HnswSettings(16, 100, 100, 0.2, 100_000, 1);

    @TempDir
    Path dir;

    private final FaceLikeGallery synthetic = FaceLikeGallery.defaults(DIM, 7);

    @Test
    void topIdentityAgreesWithExactSearchOnAFaceLikeFixture() {
        float[][] centres = synthetic.centres(600);
        Random random = new Random(1);
        ExactGalleryIndex exact = new ExactGalleryIndex(DIM);
        try (HnswGalleryIndex ann = HnswGalleryIndex.inMemory(DIM, SETTINGS)) {
            fill(centres, 4, random, exact, ann);
            assertTrue(ann.stats().segments() > 1, "fixture spans several segments");
            int agree = 0;
            int probes = 300;
            for (int p = 0; p < probes; p++) {
                float[] q = synthetic.sample(centres[random.nextInt(centres.length)], random);
                List<ScoredIdentity> want = exact.search(q, 5);
                List<ScoredIdentity> got = ann.search(q, 5);
                if (want.get(0).identityId().equals(got.get(0).identityId())) {
                    agree++;
                    // re-ranked exactly: the same cosine as the exhaustive scan
                    assertEquals(want.get(0).score(), got.get(0).score(), 1e-6);
                }
            }
            assertTrue(agree >= 0.98 * probes, "recall@1 " + agree + "/" + probes);
        }
    }

    @Test
    void aTombstonedSampleOrIdentityIsGoneFromTheNextSearch() {
        try (HnswGalleryIndex ann = HnswGalleryIndex.inMemory(DIM, SETTINGS)) {
            float[][] centres = synthetic.centres(50);
            Random random = new Random(2);
            fill(centres, 2, random, new ExactGalleryIndex(DIM), ann);
            assertEquals("id0", ann.search(centres[0], 1).get(0).identityId());
            ann.removeSample("id0", "s0");
            ann.removeSample("id0", "s1");
            assertFalse(ids(ann.search(centres[0], 5)).contains("id0"));
            assertEquals(98, ann.size());
            ann.removeIdentity("id1");
            assertFalse(ids(ann.search(centres[1], 10)).contains("id1"));
            assertEquals(96, ann.size());
        }
    }

    @Test
    void deletingMostOfTheGalleryKeepsRecallAndMergesTheDeletionsAway() {
        float[][] centres = synthetic.centres(500);
        Random random = new Random(3);
        ExactGalleryIndex exact = new ExactGalleryIndex(DIM);
        try (HnswGalleryIndex ann = HnswGalleryIndex.inMemory(DIM, SETTINGS)) {
            fill(centres, 4, random, exact, ann);
            for (int i = 0; i < centres.length; i += 2) {
                ann.removeIdentity("id" + i);
                exact.removeIdentity("id" + i);
            }
            int agree = 0;
            for (int p = 0; p < 200; p++) {
                float[] q = synthetic.sample(centres[random.nextInt(centres.length)], random);
                agree += exact.search(q, 1).get(0).identityId().equals(ann.search(q, 1).get(0).identityId()) ? 1 : 0;
            }
            assertTrue(agree >= 196, "recall@1 after deleting half: " + agree + "/200");
            ann.awaitMerges();
            HnswGalleryIndex.IndexStats stats = ann.stats();
            assertEquals(1000, stats.liveSamples());
            assertTrue(stats.deletedSamples() <= 0.2 * (stats.liveSamples() + stats.deletedSamples()),
                    "deletions past the limit are merged away: " + stats);
        }
    }

    @Test
    void aCommittedIndexReopensWithItsDataAndLosesOnlyWhatCameAfter() {
        Path path = dir.resolve("v1");
        float[][] centres = synthetic.centres(20);
        try (HnswGalleryIndex ann = HnswGalleryIndex.open(path, DIM, SETTINGS)) {
            assertTrue(ann.committedData().isEmpty());
            fill(centres, 3, new Random(4), new ExactGalleryIndex(DIM), ann);
            ann.commit(Map.of("gallery.offset.0", "60"));
            ann.put("late", "s", centres[0].clone()); // not committed
        }
        try (HnswGalleryIndex ann = HnswGalleryIndex.open(path, DIM, SETTINGS)) {
            assertEquals(Map.of("gallery.offset.0", "60"), ann.committedData());
            assertEquals(60, ann.size());
            assertEquals("id5", ann.search(centres[5], 1).get(0).identityId());
            Set<String> keys = new HashSet<>();
            ann.forEachSample((identity, sample) -> keys.add(identity + "/" + sample));
            assertEquals(60, keys.size());
            assertTrue(keys.contains("id19/s2"));
            assertFalse(keys.contains("late/s"));
        }
    }

    @Test
    void badInputIsRefusedWithAClearReason() {
        try (HnswGalleryIndex ann = HnswGalleryIndex.open(dir.resolve("v"), DIM, SETTINGS)) {
            float[] unit = FaceLikeGallery.unit(new float[] {1, 2, 3});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ann.put("a", "s", unit));
            assertTrue(e.getMessage().contains("expected a 32-d vector, got 3-d"), e.getMessage());
            float[] notUnit = new float[DIM];
            notUnit[0] = 2;
            assertThrows(IllegalArgumentException.class, () -> ann.put("a", "s", notUnit));
            float[] nan = new float[DIM];
            nan[0] = Float.NaN;
            assertThrows(IllegalArgumentException.class, () -> ann.search(nan, 1));
            float[] ok = new float[DIM];
            ok[0] = 1;
            assertThrows(IllegalArgumentException.class, () -> ann.put("a/b", "s", ok));
            assertThrows(IllegalArgumentException.class, () -> ann.put("a", "x".repeat(257), ok));
            assertThrows(IllegalArgumentException.class, () -> ann.search(ok, 0));
            IllegalArgumentException beam = assertThrows(IllegalArgumentException.class, () -> ann.search(ok, 1, 0));
            assertTrue(beam.getMessage().contains("candidates must be in 1..10000, got 0"), beam.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ann.search(ok, 1, HnswSettings.MAX_CANDIDATES + 1));
            ann.put("a", "s", ok);
            ann.commit(Map.of());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HnswGalleryIndex.open(dir.resolve("v"), 16, SETTINGS));
        assertTrue(e.getMessage().contains("holds 32-d vectors, expected 16"), e.getMessage());
    }

    @Test
    void aFullIndexRefusesMoreSamples() {
        try (HnswGalleryIndex ann = HnswGalleryIndex.inMemory(DIM, new HnswSettings(16, 100, 100, 0.2, 3, 1))) {
            float[][] centres = synthetic.centres(4);
            for (int i = 0; i < 3; i++) {
                ann.put("id" + i, "s", centres[i]);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ann.put("id3", "s", centres[3]));
            assertTrue(e.getMessage().contains("at most 3 samples"), e.getMessage());
        }
    }

    static void fill(float[][] centres, int perIdentity, Random random, ExactGalleryIndex exact, HnswGalleryIndex ann) {
        FaceLikeGallery synthetic = FaceLikeGallery.defaults(centres[0].length, 7);
        for (int i = 0; i < centres.length; i++) {
            for (int j = 0; j < perIdentity; j++) {
                float[] v = synthetic.sample(centres[i], random);
                exact.put("id" + i, "s" + j, v);
                ann.put("id" + i, "s" + j, v);
            }
        }
    }

    private static Set<String> ids(List<ScoredIdentity> hits) {
        Set<String> out = new HashSet<>();
        hits.forEach(h -> out.add(h.identityId()));
        return out;
    }
}
