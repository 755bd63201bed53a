package io.facestream.inference.analysis;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.Point2;
import io.facestream.inference.mtcnn.MtcnnDetector;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * MTCNN on a copy of a large frame scaled down to at most {@code maxDetectionSide} pixels on its longest side,
 * with the faces mapped back to the full frame, so that alignment cuts each 112×112 crop from the full-resolution
 * pixels. The cost of MTCNN grows with the pixels of its first pyramid level; on a 4K frame that is ~9× a 720p
 * frame's, while the crops an embedder needs are tiny: detecting on a 1280-pixel copy and aligning from the
 * original keeps the detector's cost that of a 720p frame and the crops as sharp as the camera made them.
 *
 * <p>The price: the detector's minimum face size applies to the copy, so at scale {@code s} the smallest face
 * found in the full frame is {@code minFaceSize / s} pixels (40 px on a 1280 copy of a 3840-wide frame is
 * 120 px). Frames already within the limit are detected as they are. Thread-safe if the detector is.
 */
public final class DownscalingDetector {

    private final MtcnnDetector detector;
    private final int maxDetectionSide;

    public DownscalingDetector(MtcnnDetector detector, int maxDetectionSide) {
        if (maxDetectionSide < 48) {
            throw new IllegalArgumentException("maxDetectionSide must be at least ONet's 48 pixels, was "
                    + maxDetectionSide);
        }
        this.detector = detector;
        this.maxDetectionSide = maxDetectionSide;
    }

    /** Faces of an 8-bit RGB frame in the frame's own coordinates, best score first. */
    public List<DetectedFace> detect(Mat rgb) {
        int longest = Math.max(rgb.cols(), rgb.rows());
        if (longest <= maxDetectionSide) {
            return detector.detect(rgb);
        }
        double s = (double) maxDetectionSide / longest;
        int w = Math.max(1, (int) Math.round(rgb.cols() * s));
        int h = Math.max(1, (int) Math.round(rgb.rows() * s));
        Mat small = new Mat();
        try {
            // INTER_AREA averages the source pixels under each target pixel: no aliasing at large factors.
            Imgproc.resize(rgb, small, new Size(w, h), 0, 0, Imgproc.INTER_AREA);
            double sx = (double) rgb.cols() / w;
            double sy = (double) rgb.rows() / h;
            List<DetectedFace> found = detector.detect(small);
            List<DetectedFace> mapped = new ArrayList<>(found.size());
            for (DetectedFace f : found) {
                mapped.add(scaledUp(f, sx, sy));
            }
            return mapped;
        } finally {
            small.release();
        }
    }

    /** {@link #detect}, then each face aligned from the full-resolution frame; the caller releases the crops. */
    public List<AlignedFace> detectAndAlign(Mat rgb) {
        List<AlignedFace> aligned = new ArrayList<>();
        for (DetectedFace f : detect(rgb)) {
            aligned.add(FaceAnalyzer.align(rgb, f));
        }
        return aligned;
    }

    /**
     * A face found on a copy scaled by {@code 1/sx}, {@code 1/sy} in the copy's coordinates, in the original's.
     * OpenCV's resize puts pixel centres at half-pixel positions, so a point maps as {@code (v + 0.5) · s − 0.5}.
     */
    static DetectedFace scaledUp(DetectedFace f, double sx, double sy) {
        BoundingBox b = f.box();
        BoundingBox box = new BoundingBox(up(b.x1(), sx), up(b.y1(), sy), up(b.x2(), sx), up(b.y2(), sy));
        List<Point2> points = new ArrayList<>(Landmarks5.COUNT);
        for (Point2 p : f.landmarks().points()) {
            points.add(new Point2(up(p.x(), sx), up(p.y(), sy)));
        }
        return new DetectedFace(box, f.score(), new Landmarks5(points));
    }

    private static double up(double v, double s) {
        return (v + 0.5) * s - 0.5;
    }
}
