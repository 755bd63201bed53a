package io.facestream.core.track;

import io.facestream.core.geometry.BoundingBox;
import java.util.List;
import java.util.Optional;

/**
 * One face as the tracker sees it.
 *
 * @param faceId id of the face
 * @param frameId id of its frame: faces of one frame never join the same track
 * @param capturedAtMs capture time of the frame, epoch milliseconds
 * @param box its box in frame pixels, absent when the detector did not say (then only appearance associates)
 * @param embedding L2-normalised embedding
 * @param modelVersion embedding model version: faces of different versions are never compared
 * @param weight quality weight in (0, 1] (the detector's quality score; 1 when unknown)
 * @param candidates the matcher's top-k for this face, best first
 */
public record TrackedFace(String faceId, String frameId, long capturedAtMs, Optional<BoundingBox> box,
        float[] embedding, String modelVersion, double weight, List<CandidateScore> candidates) {

    /** The weight of a face whose quality nobody measured: it counts like any other. */
    public static final double UNKNOWN_QUALITY_WEIGHT = 1;
    /**
     * A measured quality of 0 still counts a little, so a track of poor faces has an aggregate rather than a
     * division by zero.
     */
    public static final double MIN_WEIGHT = 1e-3;

    public TrackedFace {
        if (faceId == null || frameId == null || modelVersion == null) {
            throw new IllegalArgumentException("faceId, frameId and modelVersion are required");
        }
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException("weight must be in (0, 1], got " + weight);
        }
        if (embedding.length == 0) {
            throw new IllegalArgumentException("empty embedding");
        }
        candidates = List.copyOf(candidates);
    }

    /** The weight for a measured quality score, or {@link #UNKNOWN_QUALITY_WEIGHT} when there is none. */
    public static double weightOf(Optional<Double> quality) {
        return quality.map(q -> Math.max(MIN_WEIGHT, Math.min(1, q))).orElse(UNKNOWN_QUALITY_WEIGHT);
    }
}
