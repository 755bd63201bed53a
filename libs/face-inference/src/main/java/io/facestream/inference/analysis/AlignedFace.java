package io.facestream.inference.analysis;

import io.facestream.core.align.SimilarityTransform;
import io.facestream.core.geometry.DetectedFace;
import org.opencv.core.Mat;

/** A detected face warped onto the ArcFace template: the crop (RGB, 112×112) and the matrix used. */
public record AlignedFace(DetectedFace face, SimilarityTransform transform, Mat crop) {
}
