package io.facestream.search.history;

import java.util.Objects;

/**
 * One face as the history index keeps it: where and when it was seen, and its embedding.
 *
 * @param faceId the face (unique; indexing it again replaces it)
 * @param frameId the frame it was found in
 * @param cameraId the camera
 * @param capturedAt capture time, UTC epoch milliseconds; decides the partition
 * @param modelVersion the embedding model; only queries of the same version are compared with it
 * @param vector the embedding, L2-normalised
 */
public record HistoryEntry(String faceId, String frameId, String cameraId, long capturedAt, String modelVersion,
        float[] vector) {

    public HistoryEntry {
        Objects.requireNonNull(faceId, "faceId");
        Objects.requireNonNull(frameId, "frameId");
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(vector, "vector");
    }
}
