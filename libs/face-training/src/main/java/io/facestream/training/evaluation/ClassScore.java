package io.facestream.training.evaluation;

/**
 * Identification scores of one class.
 *
 * @param support   held-out faces of this identity
 * @param precision of the faces predicted as this identity, the fraction that are it (0 when none was)
 * @param recall    of this identity's held-out faces, the fraction predicted as it
 * @param f1        harmonic mean of precision and recall (0 when both are 0)
 */
public record ClassScore(String identity, int support, double precision, double recall, double f1) {
}
