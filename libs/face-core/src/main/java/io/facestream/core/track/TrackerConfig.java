package io.facestream.core.track;

/**
 * How {@link FaceTracker} follows the faces of one camera.
 *
 * <p>A face joins an open track when the track's last box (or the box its velocity predicts) overlaps the face's
 * box by at least {@code minIou} <em>and</em> the face looks like the track ({@code minSimilarity}), or, without
 * overlap (a fast move, a dropped frame, no box), when it looks very much like it
 * ({@code minSimilarityWithoutOverlap}). Appearance is checked even with overlap so that two people crossing, or
 * a second person stepping into the first one's place, are not merged.
 *
 * @param minIou least intersection-over-union of the face's box with the track's last or predicted box for the
 *     boxes to count as overlapping ({@link #DEFAULT_MIN_IOU})
 * @param minSimilarity least cosine between the face's embedding and the track's mean embedding when the boxes
 *     overlap ({@link #DEFAULT_MIN_SIMILARITY})
 * @param minSimilarityWithoutOverlap least cosine when they do not ({@link #DEFAULT_MIN_SIMILARITY_WITHOUT_OVERLAP})
 * @param maxGapMs capture-time gap after a track's latest face at which the track ends ({@link #DEFAULT_MAX_GAP_MS})
 * @param maxOpenTracks open tracks per camera; a new track beyond it ends the least recently seen one, so the
 *     state of a camera stays bounded ({@link #DEFAULT_MAX_OPEN_TRACKS})
 * @param maxCandidates aggregate candidates kept per track ({@link TrackEvidence})
 */
public record TrackerConfig(double minIou, double minSimilarity, double minSimilarityWithoutOverlap, long maxGapMs,
        int maxOpenTracks, int maxCandidates) {

    /**
     * Consecutive faces of one walking person overlap far more: at 5 fps a face 150 px wide that moves 25 px per
     * frame keeps an IoU of 0.71, and the velocity prediction covers faster moves.
     */
    public static final double DEFAULT_MIN_IOU = 0.2;
    /**
     * Appearance check for overlapping faces: 99.6 % of faces-dev's genuine pairs of still photos reach 0.35
     * (consecutive video frames of one person are closer still) and 97 % of its impostor pairs stay below, so a
     * crossing face does not join the other person's track.
     */
    public static final double DEFAULT_MIN_SIMILARITY = 0.35;
    /** Without overlap only a clear match re-joins: 0.04 % of faces-dev impostor pairs reach 0.5, none 0.55. */
    public static final double DEFAULT_MIN_SIMILARITY_WITHOUT_OVERLAP = 0.6;
    /**
     * A person who leaves the picture for longer than this starts a new visit. Longer than the detector's default
     * keyframe interval (2 s): a face that stands still is only detected on keyframes and must keep its track.
     */
    public static final long DEFAULT_MAX_GAP_MS = 3_000;
    /** Far more faces than one camera frame holds in practice; each open track costs about 1 KB. */
    public static final int DEFAULT_MAX_OPEN_TRACKS = 32;
    /** Enough for the matcher's top-k of faces that disagree a little. */
    public static final int DEFAULT_MAX_CANDIDATES = 16;

    public static final TrackerConfig DEFAULT = new TrackerConfig(DEFAULT_MIN_IOU, DEFAULT_MIN_SIMILARITY,
            DEFAULT_MIN_SIMILARITY_WITHOUT_OVERLAP, DEFAULT_MAX_GAP_MS, DEFAULT_MAX_OPEN_TRACKS,
            DEFAULT_MAX_CANDIDATES);

    public TrackerConfig {
        if (!(minIou > 0 && minIou <= 1)) {
            throw new IllegalArgumentException("minIou must be in (0, 1], got " + minIou);
        }
        if (!(minSimilarity >= -1 && minSimilarity <= 1)) {
            throw new IllegalArgumentException("minSimilarity is a cosine in [-1, 1], got " + minSimilarity);
        }
        if (!(minSimilarityWithoutOverlap >= minSimilarity && minSimilarityWithoutOverlap <= 1)) {
            throw new IllegalArgumentException("minSimilarityWithoutOverlap must be in [minSimilarity, 1], got "
                    + minSimilarityWithoutOverlap);
        }
        if (maxGapMs <= 0) {
            throw new IllegalArgumentException("maxGapMs must be positive, got " + maxGapMs);
        }
        if (maxOpenTracks < 1 || maxCandidates < 1) {
            throw new IllegalArgumentException("maxOpenTracks and maxCandidates must be positive");
        }
    }
}
