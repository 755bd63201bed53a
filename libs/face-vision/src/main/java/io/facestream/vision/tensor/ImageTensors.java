package io.facestream.vision.tensor;

import io.facestream.vision.OpenCvLoader;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Pixel preparation shared by the face networks: resizing, padded crops and the {@code (v − 127.5)/128}
 * normalisation all models here were trained with. Images are 8-bit RGB {@link Mat}s.
 */
public final class ImageTensors {

    private static final double SCALE = 1 / 128.0;
    private static final double OFFSET = -127.5 / 128.0;

    static {
        OpenCvLoader.ensureLoaded();
    }

    private ImageTensors() {
    }

    /** Normalised float values in row-major HWC order (RGB interleaved), length {@code h·w·3}. */
    public static float[] normalisedHwc(Mat rgb) {
        float[] out = new float[(int) (rgb.total() * rgb.channels())];
        normalisedHwc(rgb, out, 0);
        return out;
    }

    /** Writes the normalised HWC values of {@code rgb} into {@code dst} from {@code offset} (batch packing). */
    public static void normalisedHwc(Mat rgb, float[] dst, int offset) {
        requireRgb(rgb);
        Mat f = new Mat();
        try {
            rgb.convertTo(f, CvType.CV_32FC3, SCALE, OFFSET);
            int n = (int) (f.total() * f.channels());
            if (offset == 0 && dst.length == n) {
                f.get(0, 0, dst);
            } else {
                float[] tmp = new float[n];
                f.get(0, 0, tmp);
                System.arraycopy(tmp, 0, dst, offset, n);
            }
        } finally {
            f.release();
        }
    }

    /** Bilinear resize (half-pixel centres, no antialiasing). */
    public static Mat resize(Mat rgb, int width, int height) {
        Mat out = new Mat();
        Imgproc.resize(rgb, out, new Size(width, height), 0, 0, Imgproc.INTER_LINEAR);
        return out;
    }

    /**
     * The square of inclusive pixel corners (x1, y1)–(x2, y2) resized to {@code size}×{@code size}. Parts
     * of the box outside the image read as black, so a box that leaves the image is cropped, never refused.
     *
     * @throws IllegalArgumentException for an empty box
     */
    public static Mat cropResized(Mat rgb, int x1, int y1, int x2, int y2, int size) {
        requireRgb(rgb);
        int w = x2 - x1 + 1;
        int h = y2 - y1 + 1;
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("empty crop " + x1 + "," + y1 + "," + x2 + "," + y2);
        }
        int ix1 = Math.max(0, x1), iy1 = Math.max(0, y1);
        int ix2 = Math.min(rgb.cols() - 1, x2), iy2 = Math.min(rgb.rows() - 1, y2);
        Mat canvas;
        if (ix1 == x1 && iy1 == y1 && ix2 == x2 && iy2 == y2) {
            canvas = rgb.submat(new Rect(x1, y1, w, h));
        } else {
            canvas = new Mat(h, w, CvType.CV_8UC3, new Scalar(0, 0, 0));
            if (ix2 >= ix1 && iy2 >= iy1) {
                Mat inside = rgb.submat(new Rect(ix1, iy1, ix2 - ix1 + 1, iy2 - iy1 + 1));
                inside.copyTo(canvas.submat(new Rect(ix1 - x1, iy1 - y1, ix2 - ix1 + 1, iy2 - iy1 + 1)));
                inside.release();
            }
        }
        try {
            return resize(canvas, size, size);
        } finally {
            canvas.release();
        }
    }

    /** A copy of {@code rgb} with a border of {@code fraction} of each side, replicating the edge pixels. */
    public static Mat padReplicate(Mat rgb, double fraction) {
        int dx = (int) Math.round(rgb.cols() * fraction);
        int dy = (int) Math.round(rgb.rows() * fraction);
        Mat out = new Mat();
        Core.copyMakeBorder(rgb, out, dy, dy, dx, dx, Core.BORDER_REPLICATE);
        return out;
    }

    private static void requireRgb(Mat m) {
        if (m.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected an 8-bit 3-channel image, got type " + CvType.typeToString(
                    m.type()));
        }
    }
}
