package io.facestream.training.testing;

import io.facestream.vision.OpenCvLoader;
import java.util.Random;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** 112×112 RGB test crops and their raw bytes, for the pixel-level tests. */
public final class CropPixels {

    public static final int SIZE = 112;

    static {
        OpenCvLoader.ensureLoaded();
    }

    private CropPixels() {
    }

    /** A crop of seeded noise; the caller releases it. */
    public static Mat noise(long seed) {
        byte[] px = new byte[SIZE * SIZE * 3];
        new Random(seed).nextBytes(px);
        return of(px);
    }

    /** A crop of the given interleaved RGB bytes (SIZE × SIZE × 3); the caller releases it. */
    public static Mat of(byte[] rgb) {
        Mat m = new Mat(SIZE, SIZE, CvType.CV_8UC3);
        m.put(0, 0, rgb);
        return m;
    }

    public static byte[] bytes(Mat m) {
        byte[] px = new byte[(int) (m.total() * m.channels())];
        m.get(0, 0, px);
        return px;
    }
}
