package io.facestream.services.dashboard.feedback;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What operators have decided, so a repeated decision (a double click, a retry, a second label of the same
 * sighting) answers with the first one and writes nothing, and labelled faces and sightings leave the review
 * queue. Bounded: the eldest decisions are forgotten, which at worst lets a decision about a face that old be
 * written again (the retrainer takes a repeat as the same label). Not thread-safe: {@link Labeller} serialises.
 */
final class FeedbackLedger {

    private final Map<String, Recorded> faceDecisions;
    private final Map<String, SightingRecorded> sightingDecisions;
    private final Map<String, ClusterRecorded> clusterDecisions;
    private final Set<String> labelledFaces;
    private final Set<String> labelledSightings;

    FeedbackLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        faceDecisions = bounded(capacity);
        sightingDecisions = bounded(capacity);
        clusterDecisions = bounded(capacity);
        labelledFaces = Collections.newSetFromMap(bounded(capacity));
        labelledSightings = Collections.newSetFromMap(bounded(capacity));
    }

    Optional<Recorded> face(String key) {
        return Optional.ofNullable(faceDecisions.get(key));
    }

    void recordFace(String key, String faceId, Recorded recorded) {
        faceDecisions.put(key, recorded);
        labelledFaces.add(faceId);
    }

    Optional<SightingRecorded> sighting(String key) {
        return Optional.ofNullable(sightingDecisions.get(key));
    }

    void recordSighting(String key, String sightingId, SightingRecorded recorded) {
        sightingDecisions.put(key, recorded);
        labelledSightings.add(sightingId);
    }

    Optional<ClusterRecorded> cluster(String key) {
        return Optional.ofNullable(clusterDecisions.get(key));
    }

    void recordCluster(String key, ClusterRecorded recorded) {
        clusterDecisions.put(key, recorded);
    }

    boolean faceLabelled(String faceId) {
        return labelledFaces.contains(faceId);
    }

    boolean sightingLabelled(String sightingId) {
        return labelledSightings.contains(sightingId);
    }

    private static <K, V> Map<K, V> bounded(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
