package io.facestream.pipeline.sightings;

import io.facestream.schema.Decision;
import io.facestream.schema.Sighting;
import java.util.Optional;

/**
 * Which sightings an operator should decide: the ones nobody was recognised in, and the KNOWN ones whose
 * winner was barely ahead of the runner-up over the track's faces. The sighting's margin is already the
 * aggregate over all its faces, so one clear sighting of many faces does not go to review for one bad frame.
 */
public final class SightingReview {

    /** Why a sighting is in the queue. */
    public enum Reason { UNKNOWN, LOW_MARGIN }

    /** Cosine margin under which a KNOWN decision is worth a second look (as for single faces). */
    public static final double LOW_MARGIN = 0.05;

    private SightingReview() {
    }

    public static Optional<Reason> reason(Sighting s) {
        if (s.getDecision() == Decision.UNKNOWN) {
            return Optional.of(Reason.UNKNOWN);
        }
        return s.getMargin() < LOW_MARGIN ? Optional.of(Reason.LOW_MARGIN) : Optional.empty();
    }
}
