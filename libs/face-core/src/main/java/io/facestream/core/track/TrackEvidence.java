package io.facestream.core.track;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity evidence of one track: per candidate identity, the quality-weighted mean cosine over the track's
 * faces, {@code Σ w_f · s_f(c) / Σ w_f}. Each face reports only its top-k candidates; for a face whose top-k
 * lacks {@code c}, {@code s_f(c)} is taken as that face's lowest reported cosine — an upper bound, since {@code c}
 * scored no higher than the k-th — and as 0 when the face had no candidate at all (an empty gallery). With
 * fewer identities enrolled than k, every face reports every identity and the mean is exact.
 *
 * <p>Kept in O(candidates) space: per candidate the weighted sum of its cosines and the weighted sum of the
 * floors of the faces that reported it; per track the total weight and the weighted sum of all floors. At most
 * {@code maxCandidates} identities are kept; beyond, the one with the lowest aggregate is dropped (should it come
 * back, its earlier faces count at their floors). Not thread-safe.
 */
public final class TrackEvidence {

    /** Accumulated sums of one candidate. */
    static final class Sums {
        String name;
        double weightedScores;
        double weightedFloorsWherePresent;

        Sums(String name, double weightedScores, double weightedFloorsWherePresent) {
            this.name = name;
            this.weightedScores = weightedScores;
            this.weightedFloorsWherePresent = weightedFloorsWherePresent;
        }
    }

    private final int maxCandidates;
    private double totalWeight;
    private double weightedFloors;
    private final Map<String, Sums> candidates = new LinkedHashMap<>();

    public TrackEvidence(int maxCandidates) {
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("maxCandidates must be positive");
        }
        this.maxCandidates = maxCandidates;
    }

    /** Adds one face: its weight and its top-k candidates. */
    public void add(double weight, List<CandidateScore> top) {
        double floor = top.stream().mapToDouble(CandidateScore::score).min().orElse(0);
        totalWeight += weight;
        weightedFloors += weight * floor;
        for (CandidateScore c : top) {
            Sums s = candidates.get(c.identityId());
            if (s == null) {
                candidates.put(c.identityId(), new Sums(c.name(), weight * c.score(), weight * floor));
            } else {
                s.weightedScores += weight * c.score();
                s.weightedFloorsWherePresent += weight * floor;
                if (c.name() != null) {
                    s.name = c.name(); // the latest display name wins
                }
            }
        }
        while (candidates.size() > maxCandidates) {
            candidates.remove(ranked().get(candidates.size() - 1).identityId());
        }
    }

    /** Total quality weight of the faces added. */
    public double totalWeight() {
        return totalWeight;
    }

    /** Aggregate candidates, best first; ties in identity order so the ranking is deterministic. */
    public List<CandidateScore> ranked() {
        List<CandidateScore> out = new ArrayList<>(candidates.size());
        if (totalWeight <= 0) {
            return out;
        }
        candidates.forEach((id, s) -> out.add(new CandidateScore(id, s.name,
                (s.weightedScores + weightedFloors - s.weightedFloorsWherePresent) / totalWeight)));
        out.sort(Comparator.comparingDouble(CandidateScore::score).reversed()
                .thenComparing(CandidateScore::identityId));
        return out;
    }

    // ---- for the codec

    int maxCandidates() {
        return maxCandidates;
    }

    double weightedFloors() {
        return weightedFloors;
    }

    Map<String, Sums> sums() {
        return candidates;
    }

    void restore(double totalWeight, double weightedFloors) {
        this.totalWeight = totalWeight;
        this.weightedFloors = weightedFloors;
    }
}
