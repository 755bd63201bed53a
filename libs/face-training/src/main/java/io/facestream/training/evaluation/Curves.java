package io.facestream.training.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** ROC and precision-recall curves of scored pairs (higher score = more likely the same person). */
public final class Curves {

    private Curves() {
    }

    /** ROC from (0, 0) to (1, 1): one point per distinct score, lowering the threshold. */
    public static List<CurvePoint> roc(double[] scores, boolean[] positive) {
        int[] counts = counts(positive);
        List<CurvePoint> out = new ArrayList<>();
        out.add(new CurvePoint(0, 0, aboveAll(scores)));
        walk(scores, positive, (tp, fp, t) -> out.add(new CurvePoint(
                counts[1] == 0 ? 0 : (double) fp / counts[1], counts[0] == 0 ? 0 : (double) tp / counts[0], t)));
        return out;
    }

    /** Precision against recall, one point per distinct score, lowering the threshold. */
    public static List<CurvePoint> precisionRecall(double[] scores, boolean[] positive) {
        int[] counts = counts(positive);
        List<CurvePoint> out = new ArrayList<>();
        walk(scores, positive, (tp, fp, t) -> out.add(new CurvePoint(
                counts[0] == 0 ? 0 : (double) tp / counts[0], (double) tp / (tp + fp), t)));
        return out;
    }

    /** At most {@code max} points (≥ 2), evenly spaced along the list, first and last kept: enough to draw. */
    public static List<CurvePoint> thinned(List<CurvePoint> curve, int max) {
        if (curve.size() <= max) {
            return List.copyOf(curve);
        }
        List<CurvePoint> out = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            out.add(curve.get((int) Math.round((double) i * (curve.size() - 1) / (max - 1))));
        }
        return out;
    }

    /** A threshold above every score (JSON has no infinity): nothing is called "same". */
    private static double aboveAll(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        return scores.length == 0 ? 1 : Math.nextUp(max);
    }

    @FunctionalInterface
    private interface Visit {
        void at(int truePositives, int falsePositives, double threshold);
    }

    private static void walk(double[] scores, boolean[] positive, Visit visit) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException("one label per score");
        }
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int tp = 0, fp = 0;
        for (int i = 0; i < order.length; i++) {
            if (positive[order[i]]) {
                tp++;
            } else {
                fp++;
            }
            boolean boundary = i == order.length - 1 || scores[order[i + 1]] < scores[order[i]];
            if (boundary) {
                visit.at(tp, fp, scores[order[i]]);
            }
        }
    }

    /** {positives, negatives}. */
    private static int[] counts(boolean[] positive) {
        int p = 0;
        for (boolean b : positive) {
            p += b ? 1 : 0;
        }
        return new int[] {p, positive.length - p};
    }
}
