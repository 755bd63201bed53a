package io.facestream.matching.topology;

import io.facestream.core.track.TrackDecision;
import io.facestream.core.track.TrackerConfig;

/**
 * How the matcher follows faces as tracks and writes sightings.
 *
 * @param tracker how faces are associated into tracks, per camera (capture time)
 * @param decision how a track's identity is decided over its faces
 * @param quietCloseMs wall-clock time without any face of a camera after which its open tracks are closed by the
 *     punctuator: stream time stands still when a camera sends nothing, so the capture-time gap alone would
 *     leave the last visit open for ever. Must exceed the longest pause in the delivery of a busy camera's faces
 *     (the detector commits a batch of frames at a time, a rebalance or restart pauses everything), or a visit
 *     is cut short ({@link #DEFAULT_QUIET_CLOSE_MS})
 * @param punctuateIntervalMs how often the punctuator looks for quiet cameras ({@link #DEFAULT_PUNCTUATE_INTERVAL_MS})
 */
public record TrackConfig(TrackerConfig tracker, TrackDecision decision, long quietCloseMs, long punctuateIntervalMs) {

    /**
     * On 2 busy cores a detector batch of eight 1280×720 frames took several seconds, and a 3 s quiet time split
     * one walk into two tracks; 30 s leaves room, at the cost of a CLOSED record that comes 30 s after the last
     * face (its {@code lastSeenAt} is exact either way).
     */
    public static final long DEFAULT_QUIET_CLOSE_MS = 30_000;
    public static final long DEFAULT_PUNCTUATE_INTERVAL_MS = 1_000;

    public TrackConfig {
        if (quietCloseMs < tracker.maxGapMs()) {
            throw new IllegalArgumentException("quietCloseMs (" + quietCloseMs + ") must be at least the track gap ("
                    + tracker.maxGapMs() + ")");
        }
        if (punctuateIntervalMs < 1) {
            throw new IllegalArgumentException("punctuateIntervalMs must be positive");
        }
    }

    /** The defaults of {@link TrackerConfig} and {@link TrackDecision}, reporting {@code topK} candidates. */
    public static TrackConfig defaults(int topK) {
        return new TrackConfig(TrackerConfig.DEFAULT, new TrackDecision(TrackDecision.DEFAULT_THRESHOLD,
                TrackDecision.DEFAULT_MIN_FACES, TrackDecision.DEFAULT_MIN_MARGIN, topK), DEFAULT_QUIET_CLOSE_MS,
                DEFAULT_PUNCTUATE_INTERVAL_MS);
    }
}
