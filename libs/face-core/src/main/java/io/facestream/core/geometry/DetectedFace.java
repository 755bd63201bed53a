package io.facestream.core.geometry;

/** One face found in an image: its box, the detector's confidence in [0, 1] and five landmarks. */
public record DetectedFace(BoundingBox box, double score, Landmarks5 landmarks) {

    public DetectedFace {
        if (box == null || landmarks == null) {
            throw new IllegalArgumentException("box and landmarks are required");
        }
    }
}
