package io.facestream.vision.draw;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.geometry.Point2;
import io.facestream.vision.OpenCvLoader;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/** Draws detections onto a copy of an RGB image: green boxes, the score, and the five landmarks. */
public final class Annotator {

    private static final Scalar BOX = new Scalar(0, 220, 0);
    private static final Scalar[] LANDMARK = {
        new Scalar(255, 0, 0), new Scalar(0, 0, 255), new Scalar(255, 255, 0), new Scalar(255, 0, 255),
        new Scalar(0, 255, 255)};

    static {
        OpenCvLoader.ensureLoaded();
    }

    private Annotator() {
    }

    public static Mat annotate(Mat rgb, List<DetectedFace> faces) {
        Mat out = rgb.clone();
        int thickness = Math.max(1, Math.min(rgb.cols(), rgb.rows()) / 300);
        for (DetectedFace f : faces) {
            BoundingBox b = f.box();
            Imgproc.rectangle(out, new Point(b.x1(), b.y1()), new Point(b.x2(), b.y2()), BOX, thickness);
            Imgproc.putText(out, String.format("%.2f", f.score()), new Point(b.x1(), Math.max(12, b.y1() - 4)),
                    Imgproc.FONT_HERSHEY_SIMPLEX, 0.4 * thickness, BOX, thickness);
            for (int i = 0; i < f.landmarks().points().size(); i++) {
                Point2 p = f.landmarks().get(i);
                Imgproc.circle(out, new Point(p.x(), p.y()), 2 * thickness, LANDMARK[i], -1);
            }
        }
        return out;
    }
}
