package io.facestream.core.quality;

/**
 * The constants of {@link QualityScorer}: where each part of the score reaches 0 and 1. Checked against
 * faces-dev detections; a gate's thresholds are separate ({@link QualityGate}).
 *
 * @param zeroSizePx     smaller box side at and below which the size part is 0 (MTCNN finds faces this small,
 *                       but a crop upscaled from them holds almost no identity)
 * @param fullSizePx     smaller box side from which the size part is 1 (the crop is 112 px: more adds little)
 * @param fullSharpness  variance of the Laplacian from which the sharpness part is 1; the part grows linearly
 *                       from 0 for a flat crop
 * @param maxYawOffset   |yaw offset| (inter-ocular distances) at which the yaw factor reaches 0: 0.5 puts the
 *                       nose in front of an eye
 * @param maxRollDegrees |roll| at which the roll factor reaches 0; alignment undoes roll, so this is lenient
 *                       and mainly catches landmark nonsense
 * @param neutralPitch   pitch ratio of a level face: 0.55 for MTCNN's landmarks (the ArcFace template's is 0.495)
 * @param maxPitchOffset |pitch ratio − neutral| at which the pitch factor reaches 0
 */
public record QualityConfig(int zeroSizePx, int fullSizePx, double fullSharpness, double maxYawOffset,
        double maxRollDegrees, double neutralPitch, double maxPitchOffset) {

    /**
     * From MTCNN landmarks on faces-dev (573 faces): the pitch ratio's median is 0.55 (p5 0.37, p95 0.74, so
     * 0.55 ± 0.45 keeps ordinary faces well above 0), |roll| p95 is 8–20°, |yaw| p95 0.17–0.44; sharpness of
     * portrait crops has its p5 at 160–350.
     */
    public static final QualityConfig DEFAULT = new QualityConfig(16, 80, 200.0, 0.5, 90.0, 0.55, 0.45);

    public QualityConfig {
        if (zeroSizePx < 0 || fullSizePx <= zeroSizePx) {
            throw new IllegalArgumentException("need 0 <= zeroSizePx < fullSizePx, got " + zeroSizePx + ", "
                    + fullSizePx);
        }
        requirePositive(fullSharpness, "fullSharpness");
        requirePositive(maxYawOffset, "maxYawOffset");
        requirePositive(maxRollDegrees, "maxRollDegrees");
        requirePositive(maxPitchOffset, "maxPitchOffset");
        if (!(neutralPitch > 0 && neutralPitch < 1)) {
            throw new IllegalArgumentException("neutralPitch must be in (0, 1), was " + neutralPitch);
        }
    }

    private static void requirePositive(double v, String name) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, was " + v);
        }
    }
}
