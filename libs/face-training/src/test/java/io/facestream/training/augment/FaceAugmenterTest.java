package io.facestream.training.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.training.testing.CropPixels;
import io.facestream.vision.OpenCvLoader;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class FaceAugmenterTest {

    private static final int SIZE = 112;

    @BeforeAll
    static void opencv() {
        OpenCvLoader.ensureLoaded();
    }

    @Test
    void flipMirrorsEveryRow() {
        Mat in = CropPixels.noise(1);
        Mat out = FaceAugmenter.apply(in, new Augmentation(true, 0, 1, 1, 1));
        byte[] a = CropPixels.bytes(in), b = CropPixels.bytes(out);
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < SIZE; c++) {
                for (int ch = 0; ch < 3; ch++) {
                    assertEquals(a[(r * SIZE + c) * 3 + ch], b[(r * SIZE + (SIZE - 1 - c)) * 3 + ch]);
                }
            }
        }
    }

    @Test
    void identityParametersLeaveEveryPixelAndTheInputAlone() {
        Mat in = CropPixels.noise(2);
        byte[] before = CropPixels.bytes(in);
        Mat out = FaceAugmenter.apply(in, Augmentation.IDENTITY);
        assertArrayEquals(before, CropPixels.bytes(out));
        FaceAugmenter.apply(in, new Augmentation(true, 7, 1.05, 1.1, 0.9)).release();
        assertArrayEquals(before, CropPixels.bytes(in), "the input is not modified");
    }

    @Test
    void brightnessAndContrastFollowTheFormula() {
        Mat grey = new Mat(SIZE, SIZE, CvType.CV_8UC3, new Scalar(100, 100, 100));
        // 1.1 · ((100 − 127.5) · 0.9 + 127.5) = 1.1 · 102.75 = 113.025 → 113
        Mat out = FaceAugmenter.apply(grey, new Augmentation(false, 0, 1, 1.1, 0.9));
        byte[] px = CropPixels.bytes(out);
        for (byte b : px) {
            assertEquals(113, b & 0xff);
        }
        // saturates instead of wrapping: 250 · 1.2 = 300 → 255
        Mat bright = FaceAugmenter.apply(new Mat(SIZE, SIZE, CvType.CV_8UC3, new Scalar(250, 250, 250)),
                new Augmentation(false, 0, 1, 1.2, 1));
        assertEquals(255, CropPixels.bytes(bright)[0] & 0xff);
    }

    @Test
    void rotationAndScaleReplicateTheBorderSoAUniformImageStaysUniform() {
        Mat grey = new Mat(SIZE, SIZE, CvType.CV_8UC3, new Scalar(80, 90, 100));
        Mat out = FaceAugmenter.apply(grey, new Augmentation(false, 10, 0.9, 1, 1));
        byte[] px = CropPixels.bytes(out);
        for (int i = 0; i < px.length; i += 3) {
            assertEquals(80, px[i] & 0xff, "no black corners");
            assertEquals(100, px[i + 2] & 0xff);
        }
    }

    @Test
    void theSameSeedGivesTheSameCropsAndAnotherSeedOthers() {
        Mat in = CropPixels.noise(3);
        FaceAugmenter a = new FaceAugmenter(new Random(7));
        FaceAugmenter b = new FaceAugmenter(new Random(7));
        FaceAugmenter c = new FaceAugmenter(new Random(8));
        for (int i = 0; i < 5; i++) {
            byte[] x = CropPixels.bytes(a.augment(in));
            assertArrayEquals(x, CropPixels.bytes(b.augment(in)));
            assertFalse(Arrays.equals(x, CropPixels.bytes(c.augment(in))));
        }
    }

    @Test
    void randomParametersStayInTheirRanges() {
        Random random = new Random(9);
        int flips = 0;
        for (int i = 0; i < 2000; i++) {
            Augmentation a = Augmentation.random(random);
            flips += a.flip() ? 1 : 0;
            assertTrue(Math.abs(a.angleDegrees()) <= 10);
            assertTrue(a.scale() >= 0.9 && a.scale() <= 1.1);
            assertTrue(a.brightness() >= 0.8 && a.brightness() <= 1.2);
            assertTrue(a.contrast() >= 0.8 && a.contrast() <= 1.2);
        }
        assertEquals(0.5, flips / 2000.0, 0.05);
    }
}
