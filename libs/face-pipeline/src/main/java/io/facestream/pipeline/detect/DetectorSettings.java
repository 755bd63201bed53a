package io.facestream.pipeline.detect;

import io.facestream.core.quality.QualityConfig;
import io.facestream.core.quality.QualityGate;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link FrameDetector} spends its work: which frames it may skip and which faces it keeps.
 *
 * @param maxBacklogAge    a frame older than this by the detector's clock (now − capturedAt) is shed unless it
 *                         is its camera's newest in the batch; {@link Duration#ZERO} never sheds
 * @param previewReduction largest scale-down (1, 2, 4 or 8) at which a JPEG is decoded for the motion gate
 *                         alone, as far as the gate's width allows: reduced in libjpeg's DCT it costs about a
 *                         quarter of the full decode, which a skipped frame then never needs; 1 gates on the
 *                         full decode instead
 * @param quality          constants of the face quality score
 * @param embeddingGate    faces below it are counted in {@code FrameResult.belowQualityGate} and not emitted
 */
public record DetectorSettings(Duration maxBacklogAge, int previewReduction, QualityConfig quality,
        QualityGate embeddingGate) {

    /** Nothing shed, every face emitted; motion gating is up to the {@code MotionGates} passed alongside. */
    public static final DetectorSettings UNGATED = new DetectorSettings(Duration.ZERO, 1, QualityConfig.DEFAULT,
            QualityGate.OPEN);

    public DetectorSettings {
        Objects.requireNonNull(maxBacklogAge, "maxBacklogAge");
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(embeddingGate, "embeddingGate");
        if (maxBacklogAge.isNegative()) {
            throw new IllegalArgumentException("maxBacklogAge must not be negative, was " + maxBacklogAge);
        }
        if (previewReduction != 1 && previewReduction != 2 && previewReduction != 4 && previewReduction != 8) {
            throw new IllegalArgumentException("previewReduction must be 1, 2, 4 or 8, was " + previewReduction);
        }
    }

    public boolean sheds() {
        return !maxBacklogAge.isZero();
    }
}
