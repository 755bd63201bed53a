package io.facestream.core.track;

import java.util.List;
import java.util.Optional;

/**
 * Decides the identity of a face track over all its faces rather than face by face.
 *
 * <p>The rule: for each candidate identity, its aggregate is the quality-weighted mean cosine over the track's
 * faces ({@link TrackEvidence}). The track is KNOWN as the best candidate when
 * <ol>
 *   <li>the track has at least {@code minFaces} faces (one good frame of a stranger who resembles someone is not
 *       enough),</li>
 *   <li>the best aggregate is at least {@code threshold}, and</li>
 *   <li>it leads the second-best aggregate by at least {@code minMargin} (and by more than nothing: a tie is
 *       never KNOWN).</li>
 * </ol>
 * Otherwise it is UNKNOWN. Averaging over the faces removes most of the per-face noise (a blurred, turned or
 * half-occluded frame), which is why the aggregate threshold can be lower than the per-face one; the margin
 * keeps two similar-looking enrolled people from being confused. Calibration on faces-dev: README, "Tracks and
 * sightings". Immutable and thread-safe.
 *
 * @param threshold least aggregate cosine for KNOWN
 * @param minFaces least faces in the track for KNOWN
 * @param minMargin least lead of the best aggregate over the second
 * @param topK aggregate candidates reported
 */
public record TrackDecision(double threshold, int minFaces, double minMargin, int topK) {

    /**
     * Aggregate cosine for KNOWN. The per-face matcher threshold is 0.50 (README, "Match threshold"); over a
     * track the same person's aggregate stays far above it while impostor aggregates shrink towards their mean
     * (about 0.1), so 0.45 accepts tracks whose faces hover around the per-face threshold.
     */
    public static final double DEFAULT_THRESHOLD = 0.45;
    /** Three faces: about half a second at 5 fps. */
    public static final int DEFAULT_MIN_FACES = 3;
    /** Aggregates of two different enrolled people for one track differ by far more than this when it is clear. */
    public static final double DEFAULT_MIN_MARGIN = 0.10;

    public TrackDecision {
        if (!(threshold >= -1 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold is a cosine in [-1, 1], got " + threshold);
        }
        if (minFaces < 1 || topK < 1) {
            throw new IllegalArgumentException("minFaces and topK must be positive");
        }
        if (!(minMargin >= 0 && minMargin <= 2)) {
            throw new IllegalArgumentException("minMargin must be in [0, 2], got " + minMargin);
        }
    }

    /**
     * The decision for a track.
     *
     * @param known whether the track is KNOWN
     * @param identity the decided identity when known
     * @param score best aggregate (0 without candidates)
     * @param margin best minus second aggregate; the best itself when there is no second
     * @param candidates at most {@code topK} aggregates, best first
     */
    public record Verdict(boolean known, Optional<CandidateScore> identity, double score, double margin,
            List<CandidateScore> candidates) {

        public Verdict {
            candidates = List.copyOf(candidates);
        }

        /** A short key of the outcome that matters to readers: who, or nobody. */
        public String outcomeKey() {
            return identity.map(c -> "KNOWN:" + c.identityId()).orElse("UNKNOWN");
        }
    }

    public Verdict decide(int faceCount, TrackEvidence evidence) {
        List<CandidateScore> ranked = evidence.ranked();
        if (ranked.isEmpty()) {
            return new Verdict(false, Optional.empty(), 0, 0, List.of());
        }
        CandidateScore best = ranked.get(0);
        double margin = ranked.size() > 1 ? best.score() - ranked.get(1).score() : best.score();
        boolean known = faceCount >= minFaces && best.score() >= threshold && margin >= minMargin && margin > 0;
        return new Verdict(known, known ? Optional.of(best) : Optional.empty(), best.score(), margin,
                ranked.subList(0, Math.min(topK, ranked.size())));
    }
}
