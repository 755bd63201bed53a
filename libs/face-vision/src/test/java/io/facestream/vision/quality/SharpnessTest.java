package io.facestream.vision.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.vision.OpenCvLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

class SharpnessTest {

    @BeforeAll
    static void load() {
        OpenCvLoader.ensureLoaded();
    }

    @Test
    void aSharpCheckerboardBeatsItsBlurredCopyWhichBeatsAFlatImage() {
        Mat board = checkerboard(112, 8);
        Mat blurred = new Mat();
        Imgproc.GaussianBlur(board, blurred, new Size(9, 9), 3);
        Mat flat = new Mat(112, 112, CvType.CV_8UC3, new Scalar(128, 128, 128));
        try {
            double sharp = Sharpness.varianceOfLaplacian(board);
            double soft = Sharpness.varianceOfLaplacian(blurred);
            assertEquals(0.0, Sharpness.varianceOfLaplacian(flat), 1e-9);
            assertTrue(sharp > 10 * soft, "sharp " + sharp + " vs blurred " + soft);
            assertTrue(soft > 0, "blurred edges still have some second derivative: " + soft);
        } finally {
            board.release();
            blurred.release();
            flat.release();
        }
    }

    @Test
    void greyAndColourCopiesOfTheSameImageAgree() {
        Mat board = checkerboard(64, 4);
        Mat grey = new Mat();
        Imgproc.cvtColor(board, grey, Imgproc.COLOR_RGB2GRAY);
        try {
            assertEquals(Sharpness.varianceOfLaplacian(board), Sharpness.varianceOfLaplacian(grey), 1e-9);
        } finally {
            board.release();
            grey.release();
        }
    }

    /** Black and white squares of {@code cell} px: the strongest edges an 8-bit image can have. */
    static Mat checkerboard(int size, int cell) {
        Mat m = new Mat(size, size, CvType.CV_8UC3, new Scalar(0, 0, 0));
        for (int y = 0; y < size; y += cell) {
            for (int x = 0; x < size; x += cell) {
                if (((x / cell) + (y / cell)) % 2 == 0) {
                    Imgproc.rectangle(m, new org.opencv.core.Point(x, y),
                            new org.opencv.core.Point(x + cell - 1, y + cell - 1), new Scalar(255, 255, 255), -1);
                }
            }
        }
        return m;
    }
}
