package io.facestream.search.history;

import java.util.Optional;

/**
 * A past face that matches a query.
 *
 * @param score best cosine between the face and a query vector of its model version
 * @param sightingId the track (sighting) the matcher put the face in, when it tracked it
 */
public record HistoryHit(String faceId, String frameId, String cameraId, long capturedAt, String modelVersion,
        double score, Optional<String> sightingId) {
}
