package io.facestream.search.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryIndexTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    /** A day boundary, so partition starts are easy to state. */
    private static final long T0 = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final HistorySettings SETTINGS = new HistorySettings(Duration.ofDays(1), Duration.ofDays(3), 4, 100);
    private static final String V1 = "mobilefacenet-v1";

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0 + 2 * DAY);
    private final Vectors vectors = new Vectors(42);
    private HistoryIndex index;

    @BeforeEach
    void open() throws IOException {
        index = HistoryIndex.open(dir, SETTINGS, clock);
    }

    @AfterEach
    void close() throws IOException {
        index.close();
    }

    private static HistoryEntry face(String id, String camera, long at, float[] v) {
        return new HistoryEntry(id, "frame-" + id, camera, at, V1, v);
    }

    private HistoryQuery query(float[] q, double minScore) {
        return new HistoryQuery(List.of(new QueryVector(V1, q)), Optional.empty(), 0, Long.MAX_VALUE, minScore, 50);
    }

    private static List<String> ids(HistoryResult r) {
        return r.hits().stream().map(HistoryHit::faceId).toList();
    }

    @Test
    void facesGoToThePartitionOfTheirCaptureDay() {
        float[] p = vectors.unit();
        assertTrue(index.add(face("a", "cam1", T0 + HOUR, vectors.at(p, 0.9))));
        assertTrue(index.add(face("b", "cam1", T0 + DAY + HOUR, vectors.at(p, 0.9))));
        assertTrue(index.add(face("c", "cam1", T0 + DAY + 2 * HOUR, vectors.at(p, 0.9))));
        assertEquals(List.of(T0, T0 + DAY), index.partitionStarts());
        assertTrue(Files.isDirectory(dir.resolve("part-" + T0)));
        assertEquals(3, index.size());
    }

    @Test
    void hitsAreBestFirstWithTheirCosineAndLimited() {
        float[] p = vectors.unit();
        index.add(face("far", "cam1", T0 + HOUR, vectors.at(p, 0.55)));
        index.add(face("near", "cam1", T0 + 2 * HOUR, vectors.at(p, 0.95)));
        index.add(face("mid", "cam2", T0 + DAY, vectors.at(p, 0.75)));
        index.add(face("other", "cam2", T0 + DAY, vectors.at(p, 0.1)));

        HistoryResult all = index.search(query(p, 0.5));
        assertEquals(List.of("near", "mid", "far"), ids(all));
        assertEquals(0.95, all.hits().get(0).score(), 1e-3);
        assertEquals(0.75, all.hits().get(1).score(), 1e-3);
        assertEquals("cam2", all.hits().get(1).cameraId());
        assertEquals(T0 + DAY, all.hits().get(1).capturedAt());
        assertEquals("frame-mid", all.hits().get(1).frameId());

        HistoryResult top1 = index.search(new HistoryQuery(List.of(new QueryVector(V1, p)), Optional.empty(), 0,
                Long.MAX_VALUE, 0.5, 1));
        assertEquals(List.of("near"), ids(top1));
    }

    @Test
    void filtersByCameraTimeRangeMinScoreAndModelVersion() {
        float[] p = vectors.unit();
        index.add(face("a", "cam1", T0 + HOUR, vectors.at(p, 0.9)));
        index.add(face("b", "cam2", T0 + 3 * HOUR, vectors.at(p, 0.8)));
        index.add(face("c", "cam1", T0 + DAY + HOUR, vectors.at(p, 0.7)));
        index.add(new HistoryEntry("d", "frame-d", "cam1", T0 + HOUR, "other-model", vectors.at(p, 0.99)));

        assertEquals(List.of("a", "c"), ids(index.search(new HistoryQuery(List.of(new QueryVector(V1, p)),
                Optional.of("cam1"), 0, Long.MAX_VALUE, 0.5, 50))));
        // [from, to): b at 3 h is in, c at 25 h is out, a at 1 h is before from.
        assertEquals(List.of("b"), ids(index.search(new HistoryQuery(List.of(new QueryVector(V1, p)),
                Optional.empty(), T0 + 2 * HOUR, T0 + DAY + HOUR, 0.5, 50))));
        assertEquals(List.of("a", "b"), ids(index.search(query(p, 0.75))));
        // The other model's vectors are never compared with a V1 query, and the reverse.
        assertEquals(List.of("d"), ids(index.search(new HistoryQuery(List.of(new QueryVector("other-model", p)),
                Optional.empty(), 0, Long.MAX_VALUE, 0.5, 50))));
    }

    @Test
    void aFaceScoresItsBestOverSeveralQueries() {
        float[] p = vectors.unit();
        float[] q2 = vectors.at(p, 0.3);
        index.add(face("a", "cam1", T0 + HOUR, vectors.at(q2, 0.9)));
        index.add(face("b", "cam1", T0 + HOUR, vectors.at(p, 0.8)));
        HistoryResult r = index.search(new HistoryQuery(List.of(new QueryVector(V1, p), new QueryVector(V1, q2)),
                Optional.empty(), 0, Long.MAX_VALUE, 0.6, 50));
        assertEquals(List.of("a", "b"), ids(r));
        assertEquals(0.9, r.hits().get(0).score(), 1e-3);
    }

    @Test
    void eachModelVersionSaysWhichWindowItCovers() {
        float[] p = vectors.unit();
        index.add(face("a", "cam1", T0 + HOUR, p));
        index.add(face("b", "cam1", T0 + DAY + 5 * HOUR, p));
        index.add(new HistoryEntry("c", "f", "cam1", T0 + DAY + 6 * HOUR, "v2", p));
        assertEquals(List.of(new ModelWindow(V1, T0 + HOUR, T0 + DAY + 5 * HOUR),
                new ModelWindow("v2", T0 + DAY + 6 * HOUR, T0 + DAY + 6 * HOUR)), index.windows());
    }

    @Test
    void expiryDropsWholePartitionsAndHidesFacesPastTheCutOff() throws IOException {
        float[] p = vectors.unit();
        index.add(face("old", "cam1", T0 + HOUR, vectors.at(p, 0.9)));
        index.add(face("late", "cam1", T0 + 20 * HOUR, vectors.at(p, 0.9)));
        index.add(face("new", "cam1", T0 + DAY + HOUR, vectors.at(p, 0.8)));

        // 3 days after T0 + 10 h: "old" is past the cut-off, its partition is not wholly past it yet.
        clock.set(T0 + 3 * DAY + 10 * HOUR);
        assertEquals(0, index.expire());
        assertEquals(List.of("late", "new"), ids(index.search(query(p, 0.5))));
        assertFalse(index.add(face("too-old", "cam1", T0 + 2 * HOUR, p)), "a face past retention is refused");

        clock.set(T0 + 4 * DAY);
        assertEquals(1, index.expire());
        assertEquals(List.of(T0 + DAY), index.partitionStarts());
        assertFalse(Files.exists(dir.resolve("part-" + T0)));
        assertEquals(List.of("new"), ids(index.search(query(p, 0.5))));
        assertEquals(List.of(new ModelWindow(V1, T0 + DAY + HOUR, T0 + DAY + HOUR)), index.windows());
    }

    @Test
    void aFaceFarInTheFutureIsRefused() {
        assertFalse(index.add(face("x", "cam1", clock.millis() + 2 * DAY, vectors.unit())));
        assertEquals(0, index.size());
    }

    @Test
    void erasureRemovesMatchedFacesTheirSightingsAndFacesLikeTheSamples() {
        float[] person = vectors.unit();
        float[] stranger = vectors.at(person, 0.0);
        // matched KNOWN to the person, though not like the sample (a different photo)
        index.add(face("known", "cam1", T0 + HOUR, vectors.at(person, 0.3)));
        index.recordMatch("known", T0 + HOUR, Optional.of("track-1"), Optional.of("id-1"));
        // same sighting as "known", UNKNOWN on its own and unlike the sample
        index.add(face("same-track", "cam1", T0 + HOUR + 100, vectors.at(person, 0.2)));
        index.recordMatch("same-track", T0 + HOUR + 100, Optional.of("track-1"), Optional.empty());
        // seen as UNKNOWN before enrollment, like the sample
        index.add(face("unknown-before", "cam2", T0 + DAY, vectors.at(person, 0.7)));
        index.recordMatch("unknown-before", T0 + DAY, Optional.of("track-2"), Optional.empty());
        index.add(face("track-2-mate", "cam2", T0 + DAY + 50, vectors.at(person, 0.1)));
        index.recordMatch("track-2-mate", T0 + DAY + 50, Optional.of("track-2"), Optional.empty());
        // someone else
        index.add(face("stranger", "cam1", T0 + HOUR, vectors.at(stranger, 0.95)));
        index.recordMatch("stranger", T0 + HOUR, Optional.of("track-3"), Optional.of("id-2"));
        index.add(face("below", "cam1", T0 + 2 * HOUR, vectors.at(person, 0.4)));

        int erased = index.erase("id-1", List.of(new QueryVector(V1, person)), 0.5);

        assertEquals(4, erased);
        assertEquals(2, index.size());
        assertEquals(List.of("below"), ids(index.search(query(person, 0.35))));
        assertEquals(List.of("stranger"), ids(index.search(query(stranger, 0.5))));
    }

    @Test
    void theFacesToEraseAreFoundBeforeAnythingIsErasedAndAMarkedFaceCanBeRemovedById() {
        float[] person = vectors.unit();
        index.add(face("known", "cam1", T0 + HOUR, vectors.at(person, 0.3)));
        index.recordMatch("known", T0 + HOUR, Optional.of("track-1"), Optional.of("id-1"));
        index.add(face("like", "cam2", T0 + DAY, vectors.at(person, 0.8)));
        index.add(face("other", "cam1", T0 + HOUR, vectors.at(vectors.unit(), 0.9)));

        Set<String> faces = index.facesOf("id-1", List.of(new QueryVector(V1, person)), 0.5);

        assertEquals(Set.of("known", "like"), faces);
        assertEquals(3, index.size(), "finding them erases nothing");
        assertEquals(2, index.erase("id-1", faces));
        assertEquals(1, index.size());
        // the marker of a face read after it (e.g. a history rebuilt from the topics): removed by id alone
        index.remove(List.of("other", "never-indexed"));
        assertEquals(0, index.size());
        index.remove(List.of());
        assertEquals(0, index.size());
    }

    @Test
    void removingAFaceAlsoDropsItsMatchStillWaitingForIt() {
        float[] p = vectors.unit();
        index.recordMatch("late", T0 + HOUR, Optional.of("track-7"), Optional.of("id-7"));
        index.remove(List.of("late"));
        index.add(face("late", "cam1", T0 + HOUR, p));
        assertEquals(Optional.empty(), index.search(query(p, 0.5)).hits().get(0).sightingId(),
                "the removed face's match was not kept for it");
    }

    @Test
    void aMatchThatArrivesBeforeItsFaceIsAppliedWhenTheFaceIs() {
        float[] p = vectors.unit();
        index.recordMatch("a", T0 + HOUR, Optional.of("track-9"), Optional.of("id-9"));
        index.add(face("a", "cam1", T0 + HOUR, p));
        HistoryHit hit = index.search(query(p, 0.5)).hits().get(0);
        assertEquals(Optional.of("track-9"), hit.sightingId());
        assertEquals(1, index.erase("id-9", List.of(), 0.5));
    }

    @Test
    void theSightingIdOfAFaceIsItsMatchsTrack() {
        float[] p = vectors.unit();
        index.add(face("a", "cam1", T0 + HOUR, p));
        index.add(face("b", "cam1", T0 + HOUR, vectors.at(p, 0.9)));
        index.recordMatch("a", T0 + HOUR, Optional.of("track-1"), Optional.empty());
        HistoryResult r = index.search(query(p, 0.5));
        assertEquals(Optional.of("track-1"), r.hits().get(0).sightingId());
        assertEquals(Optional.empty(), r.hits().get(1).sightingId());
    }

    @Test
    void addingAFaceAgainReplacesIt() {
        float[] p = vectors.unit();
        index.add(face("a", "cam1", T0 + HOUR, p));
        index.add(face("a", "cam1", T0 + HOUR, p));
        assertEquals(1, index.size());
    }

    @Test
    void aReopenedIndexHasItsFacesWindowsAndOffsets() throws IOException {
        float[] p = vectors.unit();
        index.add(face("a", "cam1", T0 + HOUR, p));
        index.add(face("b", "cam2", T0 + DAY, vectors.at(p, 0.8)));
        index.recordMatch("b", T0 + DAY, Optional.of("track-1"), Optional.empty());
        index.commit(Map.of("embeddings:0", 2L, "matches:0", 1L));
        index.close();

        index = HistoryIndex.open(dir, SETTINGS, clock);
        assertEquals(Map.of("embeddings:0", 2L, "matches:0", 1L), index.committedOffsets());
        HistoryResult r = index.search(query(p, 0.5));
        assertEquals(List.of("a", "b"), ids(r));
        assertEquals(Optional.of("track-1"), r.hits().get(1).sightingId());
        assertEquals(List.of(new ModelWindow(V1, T0 + HOUR, T0 + DAY)), r.windows());
    }

    @Test
    void aNewIndexHasNoOffsets() throws IOException {
        assertEquals(Map.of(), index.committedOffsets());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        void set(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
