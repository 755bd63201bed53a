package io.facestream.training.crop;

import io.facestream.core.geometry.DetectedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.evaluation.PairEvaluation;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.vision.tensor.ImageTensors;
import java.util.Comparator;
import java.util.Optional;
import org.opencv.core.Mat;

/**
 * Turns a photo into the aligned 112×112 crop of its largest face (MTCNN, then the ArcFace similarity
 * warp), without embedding it. Like {@link FaceAnalyzer#largestFace}, an image where no face is found is
 * retried once padded by {@link PairEvaluation#RETRY_PADDING} per side with replicated edges: tight crops
 * (ID photos, face chips) give MTCNN too little context. The crop is the same whichever image it was warped
 * from, since the warp reads only the face.
 */
public final class FaceCropper {

    private final MtcnnDetector detector;

    public FaceCropper(MtcnnDetector detector) {
        this.detector = detector;
    }

    /** The aligned crop of the largest face, if any; the caller releases it. */
    public Optional<Mat> largestFace(Mat rgb) {
        Optional<Mat> crop = alignLargest(rgb);
        if (crop.isPresent()) {
            return crop;
        }
        Mat padded = ImageTensors.padReplicate(rgb, PairEvaluation.RETRY_PADDING);
        try {
            return alignLargest(padded);
        } finally {
            padded.release();
        }
    }

    /** True for an image that already is an aligned crop (by size: 112×112). */
    public static boolean isAlignedCrop(Mat rgb) {
        return rgb.cols() == MobileFaceNet.INPUT_SIZE && rgb.rows() == MobileFaceNet.INPUT_SIZE;
    }

    private Optional<Mat> alignLargest(Mat rgb) {
        return detector.detect(rgb).stream().max(Comparator.comparingDouble((DetectedFace f) -> f.box().area()))
                .map(f -> FaceAnalyzer.align(rgb, f).crop());
    }
}
