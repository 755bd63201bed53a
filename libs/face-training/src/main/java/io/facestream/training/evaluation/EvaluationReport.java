package io.facestream.training.evaluation;

import io.facestream.core.evaluation.VerificationMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well one model recognises the held-out faces of a split.
 *
 * @param galleryFaces   training faces used as the gallery
 * @param heldOutFaces   held-out faces used as queries (and for the verification pairs)
 * @param identification nearest-neighbour identification of the queries against the gallery
 * @param verification   10-fold verification accuracy, AUC and threshold over all pairs of held-out faces
 * @param roc            ROC of those pairs (thinned for drawing)
 * @param precisionRecall precision-recall curve of those pairs (thinned for drawing)
 */
public record EvaluationReport(int galleryFaces, int heldOutFaces, Identification identification,
        VerificationMetrics verification, List<CurvePoint> roc, List<CurvePoint> precisionRecall) {

    public EvaluationReport {
        roc = List.copyOf(roc);
        precisionRecall = List.copyOf(precisionRecall);
    }

    public double macroF1() {
        return identification.macroF1();
    }

    public double verificationAccuracy() {
        return verification.accuracy();
    }

    public double auc() {
        return verification.auc();
    }

    /** F1 per identity with held-out faces, in label order. */
    public Map<String, Double> perClassF1() {
        Map<String, Double> out = new LinkedHashMap<>();
        identification.perClass().forEach(s -> out.put(s.identity(), s.f1()));
        return out;
    }
}
