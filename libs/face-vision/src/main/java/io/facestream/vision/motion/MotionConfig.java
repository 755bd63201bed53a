package io.facestream.vision.motion;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one camera's {@link MotionGate}.
 *
 * @param enabled            false: every frame goes to the detector (the gate still answers, with reason
 *                           {@code GATING_OFF})
 * @param width              width the frame is shrunk to before comparing (height keeps the aspect ratio); a
 *                           frame narrower than this is used as it is. 160 px keeps a person-sized change many
 *                           pixels wide while costing about 20 k pixels per frame
 * @param blurKernel         odd side of the Gaussian blur applied after shrinking, so sensor noise and JPEG
 *                           block edges do not count as change; 1 turns blurring off
 * @param backgroundRate     weight of the new frame in the running background ({@code accumulateWeighted}
 *                           alpha), in (0, 1]: 0.05 forgets a change in about 20 frames
 * @param pixelThreshold     grey-level difference (0–255) from the background at which a pixel counts as changed
 * @param minChangedFraction fraction of changed pixels from which the frame has motion, in [0, 1]
 * @param keyframeInterval   camera time (capture timestamps) after which a frame is detected even without
 *                           motion, so a face that stands still is still seen
 */
public record MotionConfig(boolean enabled, int width, int blurKernel, double backgroundRate, int pixelThreshold,
        double minChangedFraction, Duration keyframeInterval) {

    /** On, 160 px, 5×5 blur, rate 0.05, 25 grey levels, 0.2 % of the pixels, a keyframe every 2 s. */
    public static final MotionConfig DEFAULT = new MotionConfig(true, 160, 5, 0.05, 25, 0.002, Duration.ofSeconds(2));

    public MotionConfig {
        Objects.requireNonNull(keyframeInterval, "keyframeInterval");
        if (width < 8) {
            throw new IllegalArgumentException("width must be at least 8 px, was " + width);
        }
        if (blurKernel < 1 || blurKernel % 2 == 0) {
            throw new IllegalArgumentException("blurKernel must be odd and positive, was " + blurKernel);
        }
        if (!(backgroundRate > 0 && backgroundRate <= 1)) {
            throw new IllegalArgumentException("backgroundRate must be in (0, 1], was " + backgroundRate);
        }
        if (pixelThreshold < 0 || pixelThreshold > 255) {
            throw new IllegalArgumentException("pixelThreshold must be in 0..255, was " + pixelThreshold);
        }
        if (!(minChangedFraction >= 0 && minChangedFraction <= 1)) {
            throw new IllegalArgumentException("minChangedFraction must be in [0, 1], was " + minChangedFraction);
        }
        if (keyframeInterval.isNegative() || keyframeInterval.isZero()) {
            throw new IllegalArgumentException("keyframeInterval must be positive, was " + keyframeInterval);
        }
    }

    public MotionConfig withEnabled(boolean on) {
        return new MotionConfig(on, width, blurKernel, backgroundRate, pixelThreshold, minChangedFraction,
                keyframeInterval);
    }

    public MotionConfig withKeyframeInterval(Duration interval) {
        return new MotionConfig(enabled, width, blurKernel, backgroundRate, pixelThreshold, minChangedFraction,
                interval);
    }
}
