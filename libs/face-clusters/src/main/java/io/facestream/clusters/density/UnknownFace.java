package io.facestream.clusters.density;

import java.time.Instant;
import java.util.Objects;

/**
 * One face the matcher could not name, as the clustering holds it.
 *
 * @param trackId the face's track (= sighting) id, or null; a track that later becomes KNOWN takes its faces out
 * @param vector the embedding; normalised on the way in
 * @param quality quality score, 0 when not measured (picks the representatives)
 * @param crop PNG of the aligned face, or null
 */
public record UnknownFace(String faceId, String trackId, String cameraId, Instant capturedAt, String modelVersion,
        float[] vector, double quality, byte[] crop) {

    public UnknownFace {
        Objects.requireNonNull(faceId, "faceId");
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(modelVersion, "modelVersion");
        if (vector == null || vector.length == 0) {
            throw new IllegalArgumentException("face " + faceId + " has no vector");
        }
        vector = unit(vector);
    }

    private static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (!(sum > 0) || Double.isInfinite(sum)) {
            throw new IllegalArgumentException("a face vector must be finite and non-zero");
        }
        float inv = (float) (1 / Math.sqrt(sum));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * inv;
        }
        return u;
    }

    /** Cosine with another unit vector of the same length. */
    double cosine(float[] other) {
        if (other.length != vector.length) {
            return -1; // different models: never neighbours
        }
        double dot = 0;
        for (int i = 0; i < vector.length; i++) {
            dot += vector[i] * other[i];
        }
        return dot;
    }
}
