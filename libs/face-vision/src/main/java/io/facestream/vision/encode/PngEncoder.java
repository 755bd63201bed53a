package io.facestream.vision.encode;

import io.facestream.vision.OpenCvLoader;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Lossless PNG of an RGB image (the project keeps pixels RGB in memory; OpenCV writes BGR Mats). */
public final class PngEncoder {

    static {
        OpenCvLoader.ensureLoaded();
    }

    private PngEncoder() {
    }

    public static byte[] rgb(Mat rgb) {
        Mat bgr = new Mat();
        MatOfByte out = new MatOfByte();
        try {
            Imgproc.cvtColor(rgb, bgr, Imgproc.COLOR_RGB2BGR);
            if (!Imgcodecs.imencode(".png", bgr, out)) {
                throw new IllegalStateException("PNG encoding failed");
            }
            return out.toArray();
        } finally {
            bgr.release();
            out.release();
        }
    }
}
