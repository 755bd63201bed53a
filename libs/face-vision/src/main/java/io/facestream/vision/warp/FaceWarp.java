package io.facestream.vision.warp;

import io.facestream.core.align.SimilarityTransform;
import io.facestream.vision.OpenCvLoader;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Warps a face into an aligned square crop: bilinear, black outside the source image. */
public final class FaceWarp {

    static {
        OpenCvLoader.ensureLoaded();
    }

    private FaceWarp() {
    }

    public static Mat warp(Mat rgb, SimilarityTransform transform, int size) {
        double[][] m = transform.matrix();
        Mat affine = new Mat(2, 3, CvType.CV_64F);
        affine.put(0, 0, m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2]);
        Mat out = new Mat();
        try {
            Imgproc.warpAffine(rgb, out, affine, new Size(size, size), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT,
                    new Scalar(0, 0, 0));
            return out;
        } finally {
            affine.release();
        }
    }
}
