package io.facestream.inference.degrade;

import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.vision.OpenCvLoader;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A low-resolution camera, simulated on aligned crops: the face is area-downscaled to {@code size}×{@code size}
 * pixels (each output pixel the mean of the input pixels it covers, as a sensor would integrate them) and
 * scaled back up to the model's 112×112 with bilinear interpolation, as a pipeline that aligns a small face
 * would. The detail finer than the camera's pixels is gone; the crop keeps its size and alignment.
 *
 * @param size side of the face in camera pixels, 1 to 112 (112 changes nothing)
 */
public record LowResolution(int size) {

    private static final int CROP = MobileFaceNet.INPUT_SIZE;

    static {
        OpenCvLoader.ensureLoaded();
    }

    public LowResolution {
        if (size < 1 || size > CROP) {
            throw new IllegalArgumentException("face size must be 1.." + CROP + " px, got " + size);
        }
    }

    /**
     * The crop as this camera would see it: a new 112×112 RGB Mat the caller releases; {@code crop} is left as is.
     *
     * @throws IllegalArgumentException when {@code crop} is not a 112×112 8-bit 3-channel image
     */
    public Mat apply(Mat crop) {
        if (crop.rows() != CROP || crop.cols() != CROP || crop.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected a " + CROP + "×" + CROP + " 8-bit RGB crop, got "
                    + crop.cols() + "×" + crop.rows() + " type " + crop.type());
        }
        Mat small = new Mat();
        Mat out = new Mat();
        try {
            Imgproc.resize(crop, small, new Size(size, size), 0, 0, Imgproc.INTER_AREA);
            Imgproc.resize(small, out, new Size(CROP, CROP), 0, 0, Imgproc.INTER_LINEAR);
            return out;
        } finally {
            small.release();
        }
    }
}
