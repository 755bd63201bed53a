package io.facestream.training.evaluation;

/**
 * A point of a ROC curve (x = false-positive rate, y = true-positive rate) or a precision-recall curve
 * (x = recall, y = precision), reached by calling "same" every pair with cosine ≥ {@code threshold}.
 */
public record CurvePoint(double x, double y, double threshold) {
}
