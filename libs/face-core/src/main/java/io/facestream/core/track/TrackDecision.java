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
     * Aggregate cosine for KNOWN, below the per-face matcher threshold of 0.50 (README, "Match threshold") because
     * averaging removes the per-face noise: on the faces-dev Hamilton clip Lin-Manuel Miranda's shorter track
     * averages 0.470 over 20 faces of which only 9 reach 0.50 on their own, while every other track stays at or
     * below 0.26 (Alex Lacamoire's own, a 26 px face in the dark: missed) and the rest at or below 0.181 (Obama's
     * 0.11). At 0.45, 0.22 % of faces-dev's impostor pairs of single photos pass
     * (0.04 % at 0.50, 1.1 % at 0.40, 12 % at 0.25), and a track's aggregate is a mean that regresses towards the
     * two people's typical similarity, so a stranger's track passes less often than one of their faces.
     */
    public static final double DEFAULT_THRESHOLD = 0.45;
    /**
     * Three faces (0.6 s at 5 fps): one or two faces of a stranger who resembles someone are not enough; every
     * track of a performer on the Hamilton clip has at least 20.
     */
    public static final int DEFAULT_MIN_FACES = 3;
    /**
     * Two enrolled people whose aggregates are within 0.10 of each other are a toss-up: UNKNOWN. The performers'
     * tracks on the Hamilton clip lead by 0.38 and 0.55.
     */
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
