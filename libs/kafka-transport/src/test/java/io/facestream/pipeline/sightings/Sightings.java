package io.facestream.pipeline.sightings;

import io.facestream.schema.BoundingBox;
import io.facestream.schema.Candidate;
import io.facestream.schema.Decision;
import io.facestream.schema.Sighting;
import io.facestream.schema.SightingState;
import java.time.Instant;
import java.util.List;

/** Sighting fixtures: times are seconds after a fixed epoch so the order is read off the test. */
final class Sightings {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private Sightings() {
    }

    static Sighting.Builder sighting(String id, String camera, int lastSeenS, int updatedS) {
        return Sighting.newBuilder().setSightingId(id).setCameraId(camera).setState(SightingState.OPEN)
                .setFirstSeenAt(T0).setLastSeenAt(T0.plusSeconds(lastSeenS)).setFaceCount(1)
                .setDecision(Decision.UNKNOWN).setScore(0.2).setMargin(0.2).setCandidates(List.of())
                .setBestFaceId(id + "-face").setBestFrameId(id + "-frame")
                .setBestBox(BoundingBox.newBuilder().setX1(1).setY1(2).setX2(30).setY2(40).build())
                .setBestQuality(0.5f).setModelVersion("m1").setUpdatedAt(T0.plusSeconds(updatedS));
    }

    static Sighting known(String id, double margin) {
        return sighting(id, "door", 1, 1).setDecision(Decision.KNOWN).setIdentityId("p1").setName("Pat")
                .setScore(0.8).setMargin(margin)
                .setCandidates(List.of(Candidate.newBuilder().setIdentityId("p1").setName("Pat").setScore(0.8).build()))
                .build();
    }
}
