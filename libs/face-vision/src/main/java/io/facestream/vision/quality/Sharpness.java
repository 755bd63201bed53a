package io.facestream.vision.quality;

import io.facestream.vision.OpenCvLoader;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.imgproc.Imgproc;

/**
 * Focus measure of a face crop: the variance of the Laplacian of its grey version. Edges give large second
 * derivatives, so a sharp crop scores high; blur, motion smear and crops upscaled from a few pixels score low;
 * a flat image scores 0. Only comparable between crops of the same size (the detector's are all 112×112).
 */
public final class Sharpness {

    private Sharpness() {
    }

    /** @param rgb {@code CV_8UC3} (R, G, B) or {@code CV_8UC1}; not modified */
    public static double varianceOfLaplacian(Mat rgb) {
        OpenCvLoader.ensureLoaded();
        if (rgb.empty() || (rgb.type() != CvType.CV_8UC3 && rgb.type() != CvType.CV_8UC1)) {
            throw new IllegalArgumentException("expected a non-empty CV_8UC3 or CV_8UC1 Mat, was " + rgb);
        }
        Mat grey = new Mat();
        Mat laplacian = new Mat();
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble stddev = new MatOfDouble();
        try {
            if (rgb.channels() == 3) {
                Imgproc.cvtColor(rgb, grey, Imgproc.COLOR_RGB2GRAY);
            } else {
                rgb.copyTo(grey);
            }
            // 64-bit output: an 8-bit Laplacian would clip the negative half of every edge.
            Imgproc.Laplacian(grey, laplacian, CvType.CV_64F);
            Core.meanStdDev(laplacian, mean, stddev);
            double sd = stddev.toArray()[0];
            return sd * sd;
        } finally {
            grey.release();
            laplacian.release();
            mean.release();
            stddev.release();
        }
    }
}
