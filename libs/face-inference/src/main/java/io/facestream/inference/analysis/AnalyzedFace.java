package io.facestream.inference.analysis;

import io.facestream.core.align.SimilarityTransform;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.similarity.Embedding;

/** A detected face, the alignment that was applied and its embedding. */
public record AnalyzedFace(DetectedFace face, SimilarityTransform alignment, Embedding embedding) {
}
