package io.facestream.vision.motion;

/**
 * What a {@link MotionGate} says about one frame.
 *
 * @param detect          whether the detector should run on the frame
 * @param reason          why
 * @param changedFraction fraction of the shrunk frame's pixels that differ from the background, in [0, 1];
 *                        0 for a first frame and when gating is off (nothing is compared)
 */
public record MotionDecision(boolean detect, Reason reason, double changedFraction) {

    public enum Reason {
        /** The camera's first frame, or the first after its frame size changed: no background yet. */
        FIRST_FRAME(true),
        /** Enough of the frame changed. */
        MOTION(true),
        /** No motion, but the keyframe interval has passed since the last detected frame. */
        KEYFRAME(true),
        /** The gate is disabled for this camera. */
        GATING_OFF(true),
        /** Too little changed and no keyframe is due: the detector can skip the frame. */
        NO_MOTION(false);

        private final boolean detect;

        Reason(boolean detect) {
            this.detect = detect;
        }

        public boolean detect() {
            return detect;
        }
    }

    public MotionDecision {
        if (detect != reason.detect()) {
            throw new IllegalArgumentException(reason + " means detect=" + reason.detect());
        }
    }

    static MotionDecision of(Reason reason, double changedFraction) {
        return new MotionDecision(reason.detect(), reason, changedFraction);
    }
}
