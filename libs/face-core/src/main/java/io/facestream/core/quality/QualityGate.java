package io.facestream.core.quality;

import java.util.Locale;
import java.util.Optional;

/**
 * A minimum quality a face must reach for a use: the detector's embedding gate (lenient: below it a face is
 * not embedded at all) and the enrollment gate (stricter: the gallery and the training set keep only faces
 * that can stand for a person). Checks run in a fixed order (size, sharpness, pose, score) so the reason
 * names the first thing that is wrong.
 *
 * @param minSizePx     smallest accepted smaller side of the face box, pixels
 * @param minSharpness  smallest accepted variance of the Laplacian of the aligned crop
 * @param minFrontality smallest accepted frontality
 * @param minScore      smallest accepted overall score
 */
public record QualityGate(int minSizePx, double minSharpness, double minFrontality, double minScore) {

    /** Lets every face through. */
    public static final QualityGate OPEN = new QualityGate(0, 0, 0, 0);

    public QualityGate {
        if (minSizePx < 0 || !(minSharpness >= 0) || !(minFrontality >= 0 && minFrontality <= 1)
                || !(minScore >= 0 && minScore <= 1)) {
            throw new IllegalArgumentException("invalid quality gate: size " + minSizePx + ", sharpness "
                    + minSharpness + ", frontality " + minFrontality + ", score " + minScore);
        }
    }

    /** Why the face fails this gate, e.g. {@code face too small: 22x28 px, minimum 48}; empty when it passes. */
    public Optional<String> refusal(FaceQuality q) {
        if (q.minSidePx() < minSizePx) {
            return Optional.of(String.format(Locale.ROOT, "face too small: %dx%d px, minimum %d",
                    q.widthPx(), q.heightPx(), minSizePx));
        }
        if (q.sharpness() < minSharpness) {
            return Optional.of(String.format(Locale.ROOT, "face too blurred: sharpness %.1f, minimum %.1f",
                    q.sharpness(), minSharpness));
        }
        if (q.frontality() < minFrontality) {
            return Optional.of(String.format(Locale.ROOT, "face turned away: frontality %.2f, minimum %.2f",
                    q.frontality(), minFrontality));
        }
        if (q.score() < minScore) {
            return Optional.of(String.format(Locale.ROOT, "face quality too low: score %.2f, minimum %.2f",
                    q.score(), minScore));
        }
        return Optional.empty();
    }

    public boolean passes(FaceQuality q) {
        return refusal(q).isEmpty();
    }
}
