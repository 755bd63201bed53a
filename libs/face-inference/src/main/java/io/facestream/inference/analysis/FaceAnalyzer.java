package io.facestream.inference.analysis;

import io.facestream.core.align.ArcFaceTemplate;
import io.facestream.core.align.SimilarityFit;
import io.facestream.core.align.SimilarityTransform;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.similarity.Embedding;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.vision.tensor.ImageTensors;
import io.facestream.vision.warp.FaceWarp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.opencv.core.Mat;

/** Detect → align → embed for one image: the whole recognition front end. Thread-safe. */
public final class FaceAnalyzer {

    private final MtcnnDetector detector;
    private final FaceEmbedder embedder;

    public FaceAnalyzer(MtcnnDetector detector, FaceEmbedder embedder) {
        this.detector = detector;
        this.embedder = embedder;
    }

    public MtcnnDetector detector() {
        return detector;
    }

    public FaceEmbedder embedder() {
        return embedder;
    }

    /** Aligns one detected face to the ArcFace 112×112 template; the caller releases the crop. */
    public static AlignedFace align(Mat rgb, DetectedFace face) {
        SimilarityTransform t = SimilarityFit.toArcFace(face.landmarks());
        return new AlignedFace(face, t, FaceWarp.warp(rgb, t, ArcFaceTemplate.SIZE));
    }

    /**
     * The largest face of the image. When none is found, retries once on a copy padded by
     * {@code padFraction} of each side with replicated edges: MTCNN needs some context around a face, and
     * tightly cropped photos (ID crops, face chips) have none. Coordinates refer to the original image.
     */
    public FaceLookup largestFace(Mat rgb, double padFraction) {
        Optional<AnalyzedFace> face = largest(analyze(rgb));
        if (face.isPresent() || padFraction <= 0) {
            return new FaceLookup(face, false);
        }
        Mat padded = ImageTensors.padReplicate(rgb, padFraction);
        try {
            double dx = (padded.cols() - rgb.cols()) / 2.0;
            double dy = (padded.rows() - rgb.rows()) / 2.0;
            return new FaceLookup(largest(analyze(padded)).map(f -> f.shifted(-dx, -dy)), true);
        } finally {
            padded.release();
        }
    }

    private static Optional<AnalyzedFace> largest(List<AnalyzedFace> faces) {
        return faces.stream().max(Comparator.comparingDouble(f -> f.face().box().area()));
    }

    /** Every face in the image with its embedding, best detection score first. */
    public List<AnalyzedFace> analyze(Mat rgb) {
        List<DetectedFace> faces = detector.detect(rgb);
        List<AlignedFace> aligned = new ArrayList<>(faces.size());
        try {
            for (DetectedFace f : faces) {
                aligned.add(align(rgb, f));
            }
            List<Embedding> embeddings = embedder.embed(aligned.stream().map(AlignedFace::crop).toList());
            List<AnalyzedFace> out = new ArrayList<>(faces.size());
            for (int i = 0; i < faces.size(); i++) {
                out.add(new AnalyzedFace(faces.get(i), aligned.get(i).transform(), embeddings.get(i)));
            }
            return out;
        } finally {
            aligned.forEach(a -> a.crop().release());
        }
    }
}
