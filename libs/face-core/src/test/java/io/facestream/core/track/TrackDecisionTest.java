package io.facestream.core.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-track decision on hand-computed aggregates: threshold 0.45, at least 3 faces, margin 0.10. Each row
 * gives the faces (weight, top-k) and the expected outcome, aggregate and margin.
 */
class TrackDecisionTest {

    private static final TrackDecision RULE = new TrackDecision(0.45, 3, 0.10, 2);
    private static final double EPS = 1e-9;

    /** One face of a track: its quality weight and its top-k. */
    record Face(double weight, List<CandidateScore> top) {
    }

    static Stream<Arguments> cases() {
        List<CandidateScore> clearAlice = List.of(c("alice", 0.6), c("bob", 0.2));
        return Stream.of(
                // mean 0.6 over three faces, bob 0.2: margin 0.4
                Arguments.of("three clear faces", List.of(f(1, clearAlice), f(1, clearAlice), f(1, clearAlice)),
                        "KNOWN:alice", 0.6, 0.4),
                Arguments.of("two faces are too few", List.of(f(1, clearAlice), f(1, clearAlice)), "UNKNOWN", 0.6,
                        0.4),
                // weights 1, 0.25, 1: alice (0.7 + 0.1·0.25 + 0.7) / 2.25 = 0.6333…;
                // bob (0.1 + 0.7·0.25 + 0.1) / 2.25 = 0.1666…; the poor face that prefers bob hardly counts
                Arguments.of("quality weights the faces", List.of(f(1, List.of(c("alice", 0.7), c("bob", 0.1))),
                        f(0.25, List.of(c("bob", 0.7), c("alice", 0.1))), f(1, List.of(c("alice", 0.7),
                        c("bob", 0.1)))), "KNOWN:alice", 1.425 / 2.25, 1.05 / 2.25),
                // floors 0.3, 0.4, 0.2: alice 2.1/3 = 0.7; bob (0.3 + 0.4 + 0.2)/3 = 0.3; carol (0.3 + 0.4 + 0.2)/3
                Arguments.of("a face without the candidate counts at its lowest cosine",
                        List.of(f(1, List.of(c("alice", 0.8), c("bob", 0.3))),
                                f(1, List.of(c("alice", 0.7), c("carol", 0.4))),
                                f(1, List.of(c("alice", 0.6), c("bob", 0.2)))), "KNOWN:alice", 0.7, 0.4),
                Arguments.of("a low margin is unknown", List.of(f(1, List.of(c("alice", 0.55), c("bob", 0.5))),
                        f(1, List.of(c("alice", 0.55), c("bob", 0.5))), f(1, List.of(c("alice", 0.55),
                        c("bob", 0.5)))), "UNKNOWN", 0.55, 0.05),
                Arguments.of("below the threshold is unknown", List.of(f(1, List.of(c("alice", 0.44))),
                        f(1, List.of(c("alice", 0.44))), f(1, List.of(c("alice", 0.44)))), "UNKNOWN", 0.44, 0.44),
                Arguments.of("exactly at the threshold is known", List.of(f(1, List.of(c("alice", 0.45))),
                        f(1, List.of(c("alice", 0.45))), f(1, List.of(c("alice", 0.45)))), "KNOWN:alice", 0.45, 0.45),
                Arguments.of("an empty gallery has no candidate", List.of(f(1, List.of()), f(1, List.of()),
                        f(1, List.of())), "UNKNOWN", 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesOverTheTrack(String name, List<Face> faces, String outcome, double score, double margin) {
        TrackEvidence evidence = new TrackEvidence(8);
        faces.forEach(f -> evidence.add(f.weight(), f.top()));

        TrackDecision.Verdict v = RULE.decide(faces.size(), evidence);

        assertEquals(outcome, v.outcomeKey());
        assertEquals(score, v.score(), EPS, "aggregate");
        assertEquals(margin, v.margin(), EPS, "margin");
        assertTrue(v.candidates().size() <= RULE.topK());
    }

    @Test
    void aTieIsUnknownEvenWithoutAMarginRequired() {
        TrackDecision noMargin = new TrackDecision(0.45, 1, 0, 2);
        TrackEvidence evidence = new TrackEvidence(8);
        evidence.add(1, List.of(c("alice", 0.8), c("bob", 0.8)));
        TrackDecision.Verdict v = noMargin.decide(1, evidence);
        assertFalse(v.known());
        assertEquals(List.of("alice", "bob"), v.candidates().stream().map(CandidateScore::identityId).toList(),
                "ties are ranked by identity id, so the order is deterministic");
    }

    @Test
    void theCandidatesAreRankedAndCarryTheLatestName() {
        TrackEvidence evidence = new TrackEvidence(8);
        evidence.add(1, List.of(new CandidateScore("alice", null, 0.9), c("bob", 0.1)));
        evidence.add(1, List.of(new CandidateScore("alice", "Alice", 0.7), c("bob", 0.3)));
        assertEquals(List.of(new CandidateScore("alice", "Alice", 0.8), new CandidateScore("bob", "bob", 0.2)),
                round(evidence.ranked()));
        assertEquals(Optional.of("alice"), RULE.decide(3, evidence).identity().map(CandidateScore::identityId));
    }

    @Test
    void theEvidenceKeepsAtMostMaxCandidates() {
        TrackEvidence evidence = new TrackEvidence(2);
        evidence.add(1, List.of(c("alice", 0.9), c("bob", 0.5), c("carol", 0.1)));
        assertEquals(List.of("alice", "bob"), evidence.ranked().stream().map(CandidateScore::identityId).toList());
    }

    private static List<CandidateScore> round(List<CandidateScore> in) {
        return in.stream().map(x -> new CandidateScore(x.identityId(), x.name(), Math.round(x.score() * 1e9) / 1e9))
                .toList();
    }

    private static CandidateScore c(String id, double score) {
        return new CandidateScore(id, id, score);
    }

    private static Face f(double weight, List<CandidateScore> top) {
        return new Face(weight, top);
    }
}
