package io.facestream.pipeline.detect;

/** Why the detector did not run on a frame; {@link #wire()} is the {@code FrameResult.skipReason} value. */
public enum SkipReason {
    /** The motion gate saw no change and no keyframe was due. */
    NO_MOTION("no-motion"),
    /** Older than the backlog limit while a newer frame of the same camera was in the batch. */
    LOAD_SHED("load-shed");

    private final String wire;

    SkipReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
