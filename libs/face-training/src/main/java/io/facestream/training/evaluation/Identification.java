package io.facestream.training.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Closed-set identification scores: per-class precision, recall and F1 over the classes that have held-out
 * faces, their unweighted mean (macro-F1, which weighs a rare person as much as a frequent one) and the
 * plain accuracy. A class that is only ever predicted (a gallery identity without held-out faces) lowers the
 * precision of the classes it steals from but gets no F1 of its own.
 */
public record Identification(ConfusionMatrix confusion, List<ClassScore> perClass, double macroF1, double accuracy) {

    public Identification {
        perClass = List.copyOf(perClass);
    }

    public static Identification of(List<String> truth, List<String> predicted) {
        if (truth.isEmpty()) {
            throw new IllegalArgumentException("no held-out faces to score");
        }
        ConfusionMatrix m = ConfusionMatrix.of(truth, predicted);
        List<ClassScore> scores = new ArrayList<>();
        double f1Sum = 0;
        int correct = 0;
        for (String label : m.labels()) {
            int support = m.support(label);
            int tp = m.count(label, label);
            correct += tp;
            if (support == 0) {
                continue;
            }
            int predictedAs = m.predictedAs(label);
            double precision = predictedAs == 0 ? 0 : (double) tp / predictedAs;
            double recall = (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            scores.add(new ClassScore(label, support, precision, recall, f1));
            f1Sum += f1;
        }
        return new Identification(m, Collections.unmodifiableList(scores), f1Sum / scores.size(),
                (double) correct / truth.size());
    }
}
