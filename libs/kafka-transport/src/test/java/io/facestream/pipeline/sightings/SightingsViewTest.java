package io.facestream.pipeline.sightings;

import static io.facestream.pipeline.sightings.Sightings.sighting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.schema.Decision;
import io.facestream.schema.Sighting;
import io.facestream.schema.SightingState;
import java.util.List;
import org.junit.jupiter.api.Test;

class SightingsViewTest {

    @Test
    void aNewerStateReplacesTheOldOneInPlace() {
        SightingsView view = new SightingsView(10);
        assertTrue(view.put(sighting("a", "door", 1, 1).build()));
        Sighting closed = sighting("a", "door", 5, 6).setFaceCount(7).setDecision(Decision.KNOWN)
                .setState(SightingState.CLOSED).build();
        assertTrue(view.put(closed));
        assertEquals(1, view.size(), "one entry per sighting id");
        assertEquals(closed, view.get("a").orElseThrow());
    }

    @Test
    void anOlderOrRepeatedStateIsIgnoredAndNotReportedAsNew() {
        SightingsView view = new SightingsView(10);
        Sighting newer = sighting("a", "door", 5, 6).setFaceCount(3).build();
        view.put(newer);
        assertFalse(view.put(sighting("a", "door", 2, 2).build()), "written before the held state");
        assertFalse(view.put(Sighting.newBuilder(newer).build()), "the same state again");
        assertEquals(3, view.get("a").orElseThrow().getFaceCount());
    }

    @Test
    void beyondCapacityTheSightingUpdatedLongestAgoIsDropped() {
        SightingsView view = new SightingsView(2);
        view.put(sighting("a", "door", 1, 1).build());
        view.put(sighting("b", "door", 2, 2).build());
        view.put(sighting("a", "door", 3, 3).build()); // a is now the younger update
        view.put(sighting("c", "door", 4, 4).build());
        assertEquals(List.of("a", "c"), view.idsInUpdateOrder());
        assertTrue(view.get("b").isEmpty());
    }

    @Test
    void latestIsNewestFirstByLastSeenAndFiltersByCameraAndDecision() {
        SightingsView view = new SightingsView(10);
        view.put(sighting("old", "door", 1, 9).build()); // written last, but its face is the oldest
        view.put(sighting("mid", "hall", 5, 5).setDecision(Decision.KNOWN).build());
        view.put(sighting("new", "door", 9, 1).build());
        assertEquals(List.of("new", "mid", "old"), ids(view.latest(null, null, 10)));
        assertEquals(List.of("new", "old"), ids(view.latest("door", null, 10)));
        assertEquals(List.of("mid"), ids(view.latest(null, Decision.KNOWN, 10)));
        assertEquals(List.of(), ids(view.latest("hall", Decision.UNKNOWN, 10)));
        assertEquals(List.of("new"), ids(view.latest(null, null, 1)));
        assertThrows(IllegalArgumentException.class, () -> view.latest(null, null, 0));
    }

    @Test
    void aTombstoneRemovesTheSighting() {
        SightingsView view = new SightingsView(10);
        view.put(sighting("a", "door", 1, 1).build());
        view.remove("a");
        assertTrue(view.get("a").isEmpty());
        assertEquals(0, view.size());
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new SightingsView(0));
    }

    private static List<String> ids(List<Sighting> sightings) {
        return sightings.stream().map(Sighting::getSightingId).toList();
    }
}
