package io.facestream.core.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.geometry.BoundingBox;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tracker on hand-made faces: 100×100 boxes, 4-d unit embeddings (A = e1 and B = e2 are two people, cosine
 * 0), 5 fps (200 ms between frames), the default configuration (IoU ≥ 0.2 with cosine ≥ 0.35, or cosine ≥ 0.6
 * without overlap; a 2 s gap ends a track).
 */
class FaceTrackerTest {

    private static final float[] A = {1, 0, 0, 0};
    private static final float[] B = {0, 1, 0, 0};
    private static final long FRAME_MS = 200;

    private final FaceTracker tracker = new FaceTracker(TrackerConfig.DEFAULT);

    @Test
    void twoFacesMovingApartKeepTheirOwnTracks() {
        List<String> tracksOfA = new ArrayList<>();
        List<String> tracksOfB = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            // A walks left from x = 500, B right from x = 610: their boxes never overlap, and move 30 px a frame.
            tracksOfA.add(observe("a" + f, "frame-" + f, f * FRAME_MS, box(500 - 30 * f, 200), A).track().id());
            tracksOfB.add(observe("b" + f, "frame-" + f, f * FRAME_MS, box(610 + 30 * f, 200), B).track().id());
        }
        assertEquals(List.of("a0"), tracksOfA.stream().distinct().toList(), "A keeps the track of its first face");
        assertEquals(List.of("b0"), tracksOfB.stream().distinct().toList(), "B keeps the track of its first face");
        assertEquals(2, tracker.openTracks().size());
        assertEquals(6, tracker.openTracks().get(0).faceCount());
    }

    @Test
    void aPersonCrossingAnotherKeepsTheirTrack() {
        // A walks right from x = 0, B left from x = 400, 50 px a frame each: at frame 4 both boxes are at x = 200
        // (IoU 1 with either track), and appearance alone tells them apart.
        for (int f = 0; f <= 8; f++) {
            FaceTracker.Assignment a = observe("a" + f, "frame-" + f, f * FRAME_MS, box(50 * f, 200), A);
            FaceTracker.Assignment b = observe("b" + f, "frame-" + f, f * FRAME_MS, box(400 - 50 * f, 200), B);
            assertEquals("a0", a.track().id(), "A at frame " + f);
            assertEquals("b0", b.track().id(), "B at frame " + f);
        }
        assertEquals(2, tracker.openTracks().size());
    }

    @Test
    void aGapLongerThanTheMaximumEndsTheTrack() {
        observe("a0", "f0", 0, box(100, 100), A);
        observe("a1", "f1", 200, box(110, 100), A);
        // 3000 ms after the latest face is still the same visit ...
        assertEquals("a0", observe("a2", "f2", 3_200, box(120, 100), A).track().id());
        // ... 3001 ms is not: the old track ends and the same person starts a new visit.
        FaceTracker.Assignment late = observe("a3", "f3", 6_201, box(120, 100), A);
        assertTrue(late.opened());
        assertEquals("a3", late.track().id());
        assertEquals(List.of("a0"), late.ended().stream().map(Track::id).toList());
        assertEquals(3, late.ended().get(0).faceCount());
        assertEquals(3_200, late.ended().get(0).lastSeenMs());
    }

    @Test
    void aDifferentPersonInTheSamePlaceAfterTheGapIsANewTrack() {
        observe("a0", "f0", 0, box(100, 100), A);
        observe("a1", "f1", 200, box(100, 100), A);
        FaceTracker.Assignment b = observe("b0", "f2", 3_201, box(100, 100), B);
        assertTrue(b.opened());
        assertEquals(List.of("a0"), b.ended().stream().map(Track::id).toList());
    }

    @Test
    void aDifferentPersonInTheSamePlaceWithoutAGapIsANewTrackToo() {
        observe("a0", "f0", 0, box(100, 100), A);
        observe("a1", "f1", 200, box(100, 100), A);
        FaceTracker.Assignment b = observe("b0", "f2", 400, box(100, 100), B);
        assertTrue(b.opened(), "IoU 1 but cosine 0: another person");
        assertEquals(List.of(), b.ended(), "A's track goes on");
        assertEquals(2, tracker.openTracks().size());
    }

    @Test
    void twoFacesOfOneFrameNeverJoinTheSameTrack() {
        observe("x0", "f0", 0, box(100, 100), A);
        // The same appearance twice in the next frame (a poster beside the person, twins): the second opens its own.
        FaceTracker.Assignment first = observe("x1", "f1", 200, box(100, 100), A);
        FaceTracker.Assignment second = observe("x2", "f1", 200, box(105, 100), A);
        assertEquals("x0", first.track().id());
        assertTrue(second.opened());
        assertNotEquals(first.track().id(), second.track().id());
    }

    @Test
    void theVelocityPredictionFollowsAFastMove() {
        float[] turned = unit(0.5, Math.sqrt(0.75), 0, 0); // cosine 0.5 with A: below the no-overlap bar of 0.6
        observe("a0", "f0", 0, box(0, 100), A);
        // 80 px in one frame: IoU 20·100 / (180·100) = 0.11 < 0.2, but the appearance is the same (cosine 1).
        assertEquals("a0", observe("a1", "f1", 200, box(80, 100), A).track().id());
        // Another 80 px with a turned head: only the box moved on by the velocity (0.4 px/ms) overlaps (IoU 1).
        FaceTracker.Assignment a2 = observe("a2", "f2", 400, box(160, 100), turned);
        assertEquals("a0", a2.track().id());
        assertFalse(a2.opened());
        // Without the prediction the same face would have opened a track: check on a tracker without history.
        FaceTracker plain = new FaceTracker(TrackerConfig.DEFAULT);
        plain.observe(face("p0", "f0", 0, box(80, 100), A));
        assertTrue(plain.observe(face("p1", "f1", 200, box(160, 100), turned)).opened());
    }

    @Test
    void facesWithoutABoxAreFollowedByAppearanceAlone() {
        assertEquals("a0", tracker.observe(face("a0", "f0", 0, Optional.empty(), A)).track().id());
        assertEquals("a0", tracker.observe(face("a1", "f1", 200, Optional.empty(), unit(0.8, 0.6, 0, 0))).track()
                .id(), "cosine 0.8 ≥ 0.6");
        assertTrue(tracker.observe(face("b0", "f2", 400, Optional.empty(), B)).opened());
    }

    @Test
    void facesOfAnotherModelVersionNeverJoin() {
        observe("a0", "f0", 0, box(100, 100), A);
        TrackedFace other = new TrackedFace("a1", "f1", 200, Optional.of(box(100, 100)), A, "model-2", 1, List.of());
        assertTrue(tracker.observe(other).opened());
    }

    @Test
    void openTracksAreBoundedAndTheLeastRecentlySeenEndsFirst() {
        FaceTracker small = new FaceTracker(new TrackerConfig(0.2, 0.35, 0.6, 2_000, 2, 4));
        small.observe(face("a0", "f0", 0, box(0, 0), A));
        small.observe(face("b0", "f0", 0, box(300, 0), B));
        small.observe(face("a1", "f1", 200, box(0, 0), A)); // A seen again: B is now the least recent
        FaceTracker.Assignment c = small.observe(face("c0", "f1", 200, box(600, 0), unit(0, 0, 1, 0)));
        assertTrue(c.opened());
        assertEquals(List.of("b0"), c.ended().stream().map(Track::id).toList());
        assertEquals(List.of("a0", "c0"), small.openTracks().stream().map(Track::id).toList());
    }

    @Test
    void endIdleAndEndAllReportTheTracksTheyEnd() {
        observe("a0", "f0", 0, box(0, 0), A);
        observe("b0", "f1", 1_000, box(300, 0), B);
        // a0 was last seen 3.5 s ago (more than the 3 s gap), b0 2.5 s ago
        assertEquals(List.of("a0"), tracker.endIdle(3_500).stream().map(Track::id).toList());
        assertEquals(List.of("b0"), tracker.endAll().stream().map(Track::id).toList());
        assertTrue(tracker.isEmpty());
    }

    @Test
    void theBestFaceIsTheOneOfHighestQuality() {
        tracker.observe(new TrackedFace("a0", "f0", 0, Optional.of(box(0, 0)), A, "m", 0.4, List.of()));
        tracker.observe(new TrackedFace("a1", "f1", 200, Optional.of(box(5, 0)), A, "m", 0.9, List.of()));
        tracker.observe(new TrackedFace("a2", "f2", 400, Optional.of(box(10, 0)), A, "m", 0.7, List.of()));
        Track t = tracker.openTracks().get(0);
        assertEquals("a1", t.bestFaceId());
        assertEquals("f1", t.bestFrameId());
        assertEquals(0.9, t.bestWeight(), 0);
        assertEquals(box(5, 0), t.bestBox().orElseThrow());
    }

    @Test
    void withoutQualityAClearlyLargerFaceBecomesTheBestFace() {
        observe("a0", "f0", 0, new BoundingBox(0, 0, 100, 100), A);
        observe("a1", "f1", 200, new BoundingBox(0, 0, 110, 110), A); // 1.21× the area: not clearly larger
        assertEquals("a0", tracker.openTracks().get(0).bestFaceId());
        observe("a2", "f2", 400, new BoundingBox(0, 0, 115, 115), A); // 1.32×
        assertEquals("a2", tracker.openTracks().get(0).bestFaceId());
    }

    @Test
    void theStateRoundTripsThroughBytesAndTheRestoredTrackerCarriesOn() {
        CandidateScore alice = new CandidateScore("alice", "Alice", 0.7);
        CandidateScore bob = new CandidateScore("bob", null, 0.2);
        tracker.observe(new TrackedFace("a0", "f0", 0, Optional.of(box(0, 0)), A, "m", 0.8, List.of(alice, bob)));
        tracker.observe(new TrackedFace("a1", "f1", 200, Optional.of(box(20, 0)), A, "m", 0.5, List.of(alice)));
        tracker.observe(new TrackedFace("b0", "f1", 200, Optional.empty(), B, "m", 1, List.of()));
        tracker.openTracks().get(0).reported("KNOWN:alice", "a0");

        byte[] bytes = tracker.toBytes();
        FaceTracker restored = FaceTracker.fromBytes(TrackerConfig.DEFAULT, bytes);

        assertArrayEquals(bytes, restored.toBytes(), "the same state");
        Track t = restored.openTracks().get(0);
        assertEquals("a0", t.id());
        assertEquals(2, t.faceCount());
        assertEquals(Optional.of("KNOWN:alice"), t.reportedOutcome());
        assertEquals(tracker.openTracks().get(0).evidence().ranked(), t.evidence().ranked());
        // The next face goes where it would have gone without the round trip, velocity (0.1 px/ms) included.
        FaceTracker.Assignment next = restored.observe(face("a2", "f2", 400, box(40, 0), A));
        FaceTracker.Assignment same = tracker.observe(face("a2", "f2", 400, box(40, 0), A));
        assertEquals(same.track().id(), next.track().id());
        assertArrayEquals(tracker.toBytes(), restored.toBytes());
    }

    @Test
    void stateOfAnUnknownVersionOrCutShortIsRefused() {
        observe("a0", "f0", 0, box(0, 0), A);
        byte[] bytes = tracker.toBytes();
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 99;
        assertThrows(IllegalArgumentException.class, () -> FaceTracker.fromBytes(TrackerConfig.DEFAULT, otherVersion));
        assertThrows(IllegalArgumentException.class,
                () -> FaceTracker.fromBytes(TrackerConfig.DEFAULT, Arrays.copyOf(bytes, bytes.length - 3)));
        assertTrue(FaceTracker.fromBytes(TrackerConfig.DEFAULT, new FaceTracker(TrackerConfig.DEFAULT).toBytes())
                .isEmpty());
    }

    // ---------------------------------------------------------------- fixtures

    private FaceTracker.Assignment observe(String faceId, String frameId, long t, BoundingBox box, float[] e) {
        return tracker.observe(face(faceId, frameId, t, box, e));
    }

    private static TrackedFace face(String faceId, String frameId, long t, BoundingBox box, float[] e) {
        return face(faceId, frameId, t, Optional.of(box), e);
    }

    private static TrackedFace face(String faceId, String frameId, long t, Optional<BoundingBox> box, float[] e) {
        return new TrackedFace(faceId, frameId, t, box, e, "m", TrackedFace.UNKNOWN_QUALITY_WEIGHT, List.of());
    }

    /** A 100×100 box with its top-left corner at (x, y). */
    private static BoundingBox box(double x, double y) {
        return new BoundingBox(x, y, x + 100, y + 100);
    }

    private static float[] unit(double... v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
