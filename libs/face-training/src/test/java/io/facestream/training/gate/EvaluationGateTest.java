package io.facestream.training.gate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.evaluation.VerificationMetrics;
import io.facestream.training.evaluation.ConfusionMatrix;
import io.facestream.training.evaluation.EvaluationReport;
import io.facestream.training.evaluation.Identification;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluationGateTest {

    private static EvaluationReport withMacroF1(double f1) {
        return new EvaluationReport(10, 5, new Identification(ConfusionMatrix.of(List.of("a"), List.of("a")), List.of(),
                f1, f1), new VerificationMetrics(10, 0.9, 0.95, 0.4), List.of(), List.of());
    }

    private final EvaluationGate gate = new EvaluationGate(0.02, 0.005);

    @Test
    void acceptsABetterCandidateWithoutAReferenceSet() {
        GateDecision d = gate.decide(withMacroF1(0.90), withMacroF1(0.93), Optional.empty(), Optional.empty());
        assertTrue(d.accepted(), d.reason());
        assertTrue(d.reason().contains("0.9300") && d.reason().contains("0.9000") && d.reason().contains("0.9200"),
                d.reason());
        assertTrue(d.reason().contains("no reference"), d.reason());
    }

    @Test
    void rejectsACandidateBelowTheMargin() {
        GateDecision d = gate.decide(withMacroF1(0.90), withMacroF1(0.91), Optional.of(0.95), Optional.of(0.99));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("rejected: held-out macro-F1 0.9100 vs active 0.9000"), d.reason());
    }

    @Test
    void aGainOfExactlyTheMarginIsEnough() {
        assertTrue(gate.decide(withMacroF1(0.95), withMacroF1(0.97), Optional.empty(), Optional.empty()).accepted());
    }

    @Test
    void rejectsACandidateThatLosesOnTheReferenceSet() {
        GateDecision d = gate.decide(withMacroF1(0.90), withMacroF1(0.95), Optional.of(0.96), Optional.of(0.95));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("reference accuracy 0.9500 vs active 0.9600 (required ≥ 0.9550)"), d.reason());
    }

    @Test
    void acceptsASmallReferenceDropWithinTheTolerance() {
        GateDecision d = gate.decide(withMacroF1(0.90), withMacroF1(0.95), Optional.of(0.960), Optional.of(0.956));
        assertTrue(d.accepted(), d.reason());
        assertTrue(d.reason().contains("reference accuracy 0.9560"), d.reason());
    }

    @Test
    void aNegativeToleranceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EvaluationGate(0, -0.1));
    }
}
