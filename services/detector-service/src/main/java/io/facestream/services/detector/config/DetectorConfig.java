package io.facestream.services.detector.config;

import io.facestream.core.quality.QualityConfig;
import io.facestream.core.quality.QualityGate;
import io.facestream.pipeline.detect.DetectorSettings;
import io.facestream.vision.motion.MotionConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Map;

/**
 * The detector service's settings; defaults and their reasons are in application.yml.
 *
 * @param minFaceSize smallest face to detect, pixels
 * @param maxBatch frames per transaction
 * @param maxWait poll wait before a smaller batch is processed
 * @param motionEnabled whether frames without motion skip detection (per camera: {@code cameraMotion})
 * @param keyframeInterval camera time after which a frame is detected even without motion
 * @param motionWidth width frames are shrunk to for the motion gate, pixels
 * @param motionBlur odd Gaussian kernel applied after shrinking (1 = none)
 * @param motionBackgroundRate weight of each frame in the running background, in (0, 1]
 * @param motionPixelThreshold grey-level difference (0–255) at which a pixel counts as changed
 * @param motionMinChangedFraction fraction of changed pixels from which a frame has motion
 * @param motionMaxCameras cameras whose background is kept (least recently seen forgotten first)
 * @param motionPreviewReduction largest JPEG scale-down (1, 2, 4, 8) for the motion gate's preview decode
 * @param cameraMotion per-camera override of {@code motionEnabled}, camera id → on/off
 * @param cameraKeyframeInterval per-camera override of {@code keyframeInterval}, camera id → duration
 * @param maxBacklogAge frames older than this (detector clock − capture time) are shed, except each camera's
 *     newest of a batch; 0 never sheds
 * @param embeddingMinFaceSize embedding gate: smallest face box side, pixels
 * @param embeddingMinSharpness embedding gate: smallest variance of the Laplacian of the aligned crop
 * @param embeddingMinFrontality embedding gate: smallest frontality, in [0, 1]
 * @param embeddingMinScore embedding gate: smallest overall quality score, in [0, 1]
 */
@ConfigurationProperties(DetectorConfig.PREFIX)
public record DetectorConfig(
        @Bindable(defaultValue = "40") @Min(12) int minFaceSize,
        @Bindable(defaultValue = "8") @Min(1) int maxBatch,
        @Bindable(defaultValue = "100ms") Duration maxWait,
        @Bindable(defaultValue = "true") boolean motionEnabled,
        @Bindable(defaultValue = "2s") Duration keyframeInterval,
        @Bindable(defaultValue = "160") @Min(8) int motionWidth,
        @Bindable(defaultValue = "5") @Min(1) int motionBlur,
        @Bindable(defaultValue = "0.05") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1")
        double motionBackgroundRate,
        @Bindable(defaultValue = "25") @Min(0) @Max(255) int motionPixelThreshold,
        @Bindable(defaultValue = "0.002") @DecimalMin("0") @DecimalMax("1") double motionMinChangedFraction,
        @Bindable(defaultValue = "1024") @Min(1) int motionMaxCameras,
        @Bindable(defaultValue = "4") @Min(1) @Max(8) int motionPreviewReduction,
        @Bindable(defaultValue = "") Map<String, Boolean> cameraMotion,
        @Bindable(defaultValue = "") Map<String, Duration> cameraKeyframeInterval,
        @Bindable(defaultValue = "2s") Duration maxBacklogAge,
        @Bindable(defaultValue = "24") @Min(0) int embeddingMinFaceSize,
        @Bindable(defaultValue = "0") @DecimalMin("0") double embeddingMinSharpness,
        @Bindable(defaultValue = "0") @DecimalMin("0") @DecimalMax("1") double embeddingMinFrontality,
        @Bindable(defaultValue = "0") @DecimalMin("0") @DecimalMax("1") double embeddingMinScore) {

    public static final String PREFIX = "facestream.detector";

    public DetectorConfig {
        cameraMotion = cameraMotion == null ? Map.of() : Map.copyOf(cameraMotion);
        cameraKeyframeInterval = cameraKeyframeInterval == null ? Map.of() : Map.copyOf(cameraKeyframeInterval);
        // Fail at start-up, not on the first frame (the library records check the values; the fields are not
        // assigned yet, so they are built from the parameters here).
        MotionConfig motion = new MotionConfig(motionEnabled, motionWidth, motionBlur, motionBackgroundRate,
                motionPixelThreshold, motionMinChangedFraction, keyframeInterval);
        cameraKeyframeInterval.values().forEach(motion::withKeyframeInterval);
        new DetectorSettings(maxBacklogAge, motionPreviewReduction, QualityConfig.DEFAULT, new QualityGate(
                embeddingMinFaceSize, embeddingMinSharpness, embeddingMinFrontality, embeddingMinScore));
    }

    /** The motion gate settings of one camera: the defaults with that camera's overrides. */
    public MotionConfig motion(String cameraId) {
        return new MotionConfig(cameraMotion.getOrDefault(cameraId, motionEnabled), motionWidth, motionBlur,
                motionBackgroundRate, motionPixelThreshold, motionMinChangedFraction,
                cameraKeyframeInterval.getOrDefault(cameraId, keyframeInterval));
    }

    public DetectorSettings settings() {
        return new DetectorSettings(maxBacklogAge, motionPreviewReduction, QualityConfig.DEFAULT, embeddingGate());
    }

    public QualityGate embeddingGate() {
        return new QualityGate(embeddingMinFaceSize, embeddingMinSharpness, embeddingMinFrontality,
                embeddingMinScore);
    }
}
