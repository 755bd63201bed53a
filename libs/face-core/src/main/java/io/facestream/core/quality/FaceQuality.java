package io.facestream.core.quality;

/**
 * How usable a detected face is for recognition: the values a {@link QualityGate} checks. Mirrors the Avro
 * {@code FaceQuality} record, so a gate can judge a stored crop as well as a fresh detection.
 *
 * @param score      overall quality in [0, 1], see {@link QualityScorer}
 * @param widthPx    face box width in frame pixels
 * @param heightPx   face box height in frame pixels
 * @param sharpness  variance of the Laplacian of the aligned 112×112 grey crop (0 for a flat crop, no upper bound)
 * @param frontality pose in [0, 1] from the five landmarks: 1 frontal, 0 profile or strongly tilted
 */
public record FaceQuality(double score, int widthPx, int heightPx, double sharpness, double frontality) {

    public FaceQuality {
        requireUnit(score, "score");
        requireUnit(frontality, "frontality");
        if (widthPx < 0 || heightPx < 0) {
            throw new IllegalArgumentException("negative face size " + widthPx + "x" + heightPx);
        }
        if (!(sharpness >= 0) || Double.isInfinite(sharpness)) {
            throw new IllegalArgumentException("sharpness must be finite and >= 0, was " + sharpness);
        }
    }

    /** The smaller side of the face box: what limits the detail a face crop can hold. */
    public int minSidePx() {
        return Math.min(widthPx, heightPx);
    }

    private static void requireUnit(double v, String name) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + v);
        }
    }
}
