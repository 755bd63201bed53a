package io.facestream.training.evaluation;

import java.util.List;
import java.util.TreeSet;

/**
 * Counts of (true identity, predicted identity). Rows are true labels, columns predicted labels, both in the
 * order of {@link #labels()}: every identity that occurs as truth or prediction, sorted.
 */
public record ConfusionMatrix(List<String> labels, int[][] counts) {

    public ConfusionMatrix {
        labels = List.copyOf(labels);
        if (counts.length != labels.size()) {
            throw new IllegalArgumentException("one row per label");
        }
    }

    /** Tallies paired truth and prediction lists. */
    public static ConfusionMatrix of(List<String> truth, List<String> predicted) {
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException(truth.size() + " truths for " + predicted.size() + " predictions");
        }
        TreeSet<String> all = new TreeSet<>(truth);
        all.addAll(predicted);
        List<String> labels = List.copyOf(all);
        int[][] counts = new int[labels.size()][labels.size()];
        for (int i = 0; i < truth.size(); i++) {
            counts[labels.indexOf(truth.get(i))][labels.indexOf(predicted.get(i))]++;
        }
        return new ConfusionMatrix(labels, counts);
    }

    public int count(String truth, String predicted) {
        int r = labels.indexOf(truth), c = labels.indexOf(predicted);
        return r < 0 || c < 0 ? 0 : counts[r][c];
    }

    /** Faces whose true identity is {@code label}. */
    public int support(String label) {
        int r = labels.indexOf(label);
        int sum = 0;
        for (int v : counts[r]) {
            sum += v;
        }
        return sum;
    }

    /** Faces predicted as {@code label}. */
    public int predictedAs(String label) {
        int c = labels.indexOf(label);
        int sum = 0;
        for (int[] row : counts) {
            sum += row[c];
        }
        return sum;
    }
}
