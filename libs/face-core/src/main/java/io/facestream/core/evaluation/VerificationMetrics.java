package io.facestream.core.evaluation;

import java.util.Arrays;

/**
 * Face verification metrics over scored pairs (higher score = more likely the same person).
 *
 * <p>Accuracy follows the LFW protocol: the pairs are split into ten folds, the threshold that maximises
 * accuracy on nine folds is applied to the tenth, and the ten held-out accuracies are averaged. Folds are
 * stratified (positives and negatives dealt round-robin) so that no fold is one-sided.
 */
public record VerificationMetrics(int pairs, double accuracy, double auc, double threshold) {

    public static final int FOLDS = 10;

    public static VerificationMetrics evaluate(double[] scores, boolean[] same) {
        if (scores.length != same.length || scores.length == 0) {
            throw new IllegalArgumentException("need equally many scores and labels, at least one");
        }
        int[] fold = stratifiedFolds(same);
        double accSum = 0;
        int usedFolds = 0;
        for (int f = 0; f < FOLDS; f++) {
            boolean[] train = new boolean[scores.length];
            boolean anyTest = false;
            for (int i = 0; i < scores.length; i++) {
                train[i] = fold[i] != f;
                anyTest |= !train[i];
            }
            if (!anyTest) {
                continue;
            }
            double t = bestThreshold(scores, same, train);
            int correct = 0, n = 0;
            for (int i = 0; i < scores.length; i++) {
                if (!train[i]) {
                    n++;
                    correct += (scores[i] >= t) == same[i] ? 1 : 0;
                }
            }
            accSum += (double) correct / n;
            usedFolds++;
        }
        boolean[] all = new boolean[scores.length];
        Arrays.fill(all, true);
        return new VerificationMetrics(scores.length, accSum / usedFolds, auc(scores, same),
                bestThreshold(scores, same, all));
    }

    /** Area under the ROC curve: the probability that a random positive outscores a random negative (ties count ½). */
    public static double auc(double[] scores, boolean[] same) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1; // ranks are 1-based; ties share the mean rank
            for (int k = i; k <= j; k++) {
                if (same[order[k]]) {
                    rankSumPos += midRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = scores.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * The threshold t (predict "same" when score ≥ t) with the most correct decisions among the selected
     * pairs; t is the midpoint between two neighbouring scores so it generalises to unseen pairs.
     */
    static double bestThreshold(double[] scores, boolean[] same, boolean[] selected) {
        int n = 0, positives = 0;
        for (int i = 0; i < scores.length; i++) {
            if (selected[i]) {
                n++;
                positives += same[i] ? 1 : 0;
            }
        }
        double[] s = new double[n];
        boolean[] l = new boolean[n];
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
        int k = 0;
        for (int idx : order) {
            if (selected[idx]) {
                s[k] = scores[idx];
                l[k++] = same[idx];
            }
        }
        // Threshold below everything: all predicted "same", so every positive is right.
        int correct = positives;
        int bestCorrect = correct;
        double best = s[0] - 1e-6;
        for (int i = 0; i < n; i++) {
            correct += l[i] ? -1 : 1; // s[i] moves to the "different" side
            boolean boundary = i == n - 1 || s[i + 1] > s[i];
            if (boundary && correct > bestCorrect) {
                bestCorrect = correct;
                best = i == n - 1 ? s[i] + 1e-6 : (s[i] + s[i + 1]) / 2;
            }
        }
        return best;
    }

    private static int[] stratifiedFolds(boolean[] same) {
        int[] fold = new int[same.length];
        int p = 0, q = 0;
        for (int i = 0; i < same.length; i++) {
            fold[i] = same[i] ? (p++ % FOLDS) : (q++ % FOLDS);
        }
        return fold;
    }
}
