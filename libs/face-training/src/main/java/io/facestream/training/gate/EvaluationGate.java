package io.facestream.training.gate;

import io.facestream.training.evaluation.EvaluationReport;
import java.util.Locale;
import java.util.Optional;

/**
 * The promotion rule for a fine-tuned model: it must identify the held-out faces better than the active
 * model by at least {@code margin} in macro-F1, and, when a fixed reference pair set was scored, it must not
 * verify that set worse than the active model by more than {@code referenceTolerance} (accuracy, 0–1). The
 * reference check catches a model that learned the operators' people at the expense of faces in general.
 */
public final class EvaluationGate {

    /** Rounding slack, so that 0.95 + 0.01 counts as reaching 0.96. */
    private static final double EPSILON = 1e-9;

    private final double margin;
    private final double referenceTolerance;

    /**
     * @param margin             required macro-F1 gain (may be 0: "at least as good")
     * @param referenceTolerance allowed drop of reference verification accuracy (≥ 0)
     */
    public EvaluationGate(double margin, double referenceTolerance) {
        if (!(referenceTolerance >= 0) || Double.isNaN(margin)) {
            throw new IllegalArgumentException("need a margin and a non-negative reference tolerance");
        }
        this.margin = margin;
        this.referenceTolerance = referenceTolerance;
    }

    public GateDecision decide(EvaluationReport activeHeldOut, EvaluationReport candidateHeldOut,
            Optional<Double> activeReferenceAccuracy, Optional<Double> candidateReferenceAccuracy) {
        double active = activeHeldOut.macroF1();
        double candidate = candidateHeldOut.macroF1();
        String f1 = format("held-out macro-F1 %.4f vs active %.4f (required ≥ %.4f)", candidate, active,
                active + margin);
        if (!(candidate + EPSILON >= active + margin)) {
            return new GateDecision(false, "rejected: " + f1);
        }
        if (activeReferenceAccuracy.isEmpty() || candidateReferenceAccuracy.isEmpty()) {
            return new GateDecision(true, "accepted: " + f1 + "; no reference pair set");
        }
        double ref = candidateReferenceAccuracy.get();
        double refActive = activeReferenceAccuracy.get();
        String reference = format("reference accuracy %.4f vs active %.4f (required ≥ %.4f)", ref, refActive,
                refActive - referenceTolerance);
        if (!(ref + EPSILON >= refActive - referenceTolerance)) {
            return new GateDecision(false, "rejected: " + reference + "; " + f1);
        }
        return new GateDecision(true, "accepted: " + f1 + "; " + reference);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
