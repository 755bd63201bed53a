package io.facestream.inference.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.vision.OpenCvLoader;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class LowResolutionTest {

    private static final int SIZE = 112;

    @BeforeAll
    static void opencv() {
        OpenCvLoader.ensureLoaded();
    }

    private static Mat crop(byte[] rgb) {
        Mat m = new Mat(SIZE, SIZE, CvType.CV_8UC3);
        m.put(0, 0, rgb);
        return m;
    }

    private static Mat noise(long seed) {
        byte[] px = new byte[SIZE * SIZE * 3];
        new Random(seed).nextBytes(px);
        return crop(px);
    }

    private static byte[] bytes(Mat m) {
        byte[] px = new byte[(int) (m.total() * m.channels())];
        m.get(0, 0, px);
        return px;
    }

    /** Black and white squares of {@code square} pixels, the same in every channel. */
    private static Mat checkerboard(int square) {
        byte[] px = new byte[SIZE * SIZE * 3];
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < SIZE; c++) {
                byte v = ((r / square + c / square) % 2 == 0) ? 0 : (byte) 255;
                for (int ch = 0; ch < 3; ch++) {
                    px[(r * SIZE + c) * 3 + ch] = v;
                }
            }
        }
        return crop(px);
    }

    @Test
    void fullSizeLeavesEveryPixelAlone() {
        Mat in = noise(7);
        Mat out = new LowResolution(SIZE).apply(in);
        assertArrayEquals(bytes(in), bytes(out));
        in.release();
        out.release();
    }

    @Test
    void halfSizeAveragesOnePixelSquaresToGreyAndKeepsTheShape() {
        Mat in = checkerboard(1);
        byte[] before = bytes(in);
        Mat out = new LowResolution(56).apply(in);
        assertEquals(SIZE, out.rows());
        assertEquals(SIZE, out.cols());
        assertEquals(CvType.CV_8UC3, out.type());
        for (byte b : bytes(out)) {
            // Every 2×2 block holds two 0s and two 255s: 127.5, rounded either way.
            assertEquals(127.5, Byte.toUnsignedInt(b), 1.0);
        }
        assertArrayEquals(before, bytes(in), "input left as is");
        in.release();
        out.release();
    }

    @Test
    void detailCoarserThanTheCameraPixelsSurvives() {
        Mat in = checkerboard(8);
        Mat out = new LowResolution(56).apply(in);
        byte[] a = bytes(in);
        byte[] b = bytes(out);
        for (int r = 4; r < SIZE; r += 8) {
            for (int c = 4; c < SIZE; c += 8) {
                // Square centres are 3+ pixels from an edge: bilinear upscaling by 2 leaves them exact.
                int i = (r * SIZE + c) * 3;
                assertEquals(Byte.toUnsignedInt(a[i]), Byte.toUnsignedInt(b[i]), 1.0, "square centre " + r + "," + c);
            }
        }
        in.release();
        out.release();
    }

    @Test
    void rejectsSizesOutsideOneToTheCropAndCropsOfAnotherShape() {
        assertThrows(IllegalArgumentException.class, () -> new LowResolution(0));
        assertThrows(IllegalArgumentException.class, () -> new LowResolution(SIZE + 1));
        Mat grey = new Mat(SIZE, SIZE, CvType.CV_8UC1);
        assertThrows(IllegalArgumentException.class, () -> new LowResolution(32).apply(grey));
        grey.release();
    }
}
