package io.facestream.training.evaluation;

import io.facestream.core.similarity.Embedding;
import java.util.List;
import org.opencv.core.Mat;

/** Embeds aligned 112×112 RGB crops with one model, L2-normalised; {@code FaceEmbedder::embed} is one. */
@FunctionalInterface
public interface CropEmbedder {

    List<Embedding> embed(List<Mat> alignedCrops);
}
