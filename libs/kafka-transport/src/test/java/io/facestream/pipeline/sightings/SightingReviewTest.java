package io.facestream.pipeline.sightings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.pipeline.sightings.SightingReview.Reason;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SightingReviewTest {

    @Test
    void unknownAndCloseCallsAreQueuedClearWinnersAreNot() {
        assertEquals(Optional.of(Reason.UNKNOWN), SightingReview.reason(Sightings.sighting("u", "door", 1, 1).build()));
        assertEquals(Optional.of(Reason.LOW_MARGIN), SightingReview.reason(Sightings.known("k", 0.049)));
        assertEquals(Optional.empty(), SightingReview.reason(Sightings.known("k", 0.05)));
        assertEquals(Optional.empty(), SightingReview.reason(Sightings.known("k", 0.3)));
    }
}
