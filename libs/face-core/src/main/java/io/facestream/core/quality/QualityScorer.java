package io.facestream.core.quality;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.Landmarks5;
import java.util.Optional;

/**
 * Scores a detected face from its box, landmarks, detection score and the sharpness of its aligned crop.
 * Each part is in [0, 1]; the score is their geometric mean, so one unusable part (a profile, a smear) pulls
 * the whole score down to 0 rather than being averaged away by the others. Pure and thread-safe.
 */
public final class QualityScorer {

    private final QualityConfig config;

    public QualityScorer(QualityConfig config) {
        this.config = config;
    }

    /** The parts of a score, for logs and calibration; no pose when the landmarks describe none. */
    public record Parts(double size, double sharpness, double frontality, double detection, Optional<Pose> pose) {
    }

    /** A face's quality and the parts it was made of. */
    public record Assessment(FaceQuality quality, Parts parts) {
    }

    /**
     * @param detectionScore the detector's confidence in [0, 1]
     * @param sharpness      variance of the Laplacian of the aligned grey crop, &gt;= 0
     */
    public Assessment assess(BoundingBox box, Landmarks5 landmarks, double detectionScore, double sharpness) {
        int width = (int) Math.round(box.width());
        int height = (int) Math.round(box.height());
        Optional<Pose> pose = Pose.of(landmarks);
        double size = ramp(Math.min(box.width(), box.height()), config.zeroSizePx(), config.fullSizePx());
        double sharp = ramp(sharpness, 0, config.fullSharpness());
        double frontality = pose.map(this::frontality).orElse(0.0);
        double detection = Math.max(0, Math.min(1, detectionScore));
        double score = Math.pow(size * sharp * frontality * detection, 0.25);
        return new Assessment(new FaceQuality(score, width, height, sharpness, frontality),
                new Parts(size, sharp, frontality, detection, pose));
    }

    /** Product of the yaw, roll and pitch factors, each falling linearly from 1 (level) to 0 (its limit). */
    public double frontality(Pose pose) {
        double yaw = 1 - Math.abs(pose.yawOffset()) / config.maxYawOffset();
        double roll = 1 - Math.abs(pose.rollDegrees()) / config.maxRollDegrees();
        double pitch = 1 - Math.abs(pose.pitchRatio() - config.neutralPitch()) / config.maxPitchOffset();
        return Math.max(0, yaw) * Math.max(0, roll) * Math.max(0, pitch);
    }

    private static double ramp(double v, double zero, double full) {
        return Math.max(0, Math.min(1, (v - zero) / (full - zero)));
    }
}
