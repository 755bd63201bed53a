package io.facestream.pipeline.sightings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrackFacesTest {

    @Test
    void facesAreKeptPerTrackInArrivalOrderWithoutDuplicates() {
        TrackFaces index = new TrackFaces(100, 10);
        index.add("t1", "f1");
        index.add("t2", "g1");
        index.add("t1", "f2");
        index.add("t1", "f1"); // a replayed match
        assertEquals(List.of("f1", "f2"), index.faces("t1"));
        assertEquals(List.of("g1"), index.faces("t2"));
        assertEquals(List.of(), index.faces("nope"));
        assertEquals(3, index.size());
    }

    @Test
    void aLongTrackKeepsItsLatestFaces() {
        TrackFaces index = new TrackFaces(100, 2);
        index.add("t", "f1");
        index.add("t", "f2");
        index.add("t", "f3");
        assertEquals(List.of("f2", "f3"), index.faces("t"));
        assertEquals(2, index.size());
    }

    @Test
    void overTheTotalTheTracksWithTheOldestLatestFaceGoWhole() {
        TrackFaces index = new TrackFaces(4, 3);
        index.add("a", "a1");
        index.add("a", "a2");
        index.add("b", "b1");
        index.add("a", "a3"); // a got a face after b did
        index.add("c", "c1"); // 5 > 4: b is the track whose latest face is oldest
        assertEquals(List.of(), index.faces("b"));
        assertEquals(List.of("a1", "a2", "a3"), index.faces("a"));
        assertEquals(List.of("c1"), index.faces("c"));
        index.add("c", "c2"); // 5 > 4 again: now a goes, whole
        assertEquals(List.of(), index.faces("a"));
        assertEquals(2, index.size());
    }

    @Test
    void boundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new TrackFaces(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TrackFaces(5, 6));
    }
}
