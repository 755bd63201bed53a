package io.facestream.training.augment;

import io.facestream.vision.OpenCvLoader;
import java.util.Random;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.imgproc.Imgproc;

/**
 * Applies {@link Augmentation}s to aligned face crops (8-bit RGB). The random variant draws from a seeded
 * {@link Random}, so a training run is repeatable. Not thread-safe (the {@code Random} is shared).
 */
public final class FaceAugmenter {

    static {
        OpenCvLoader.ensureLoaded();
    }

    private final Random random;

    public FaceAugmenter(Random random) {
        this.random = random;
    }

    /** A new crop with freshly drawn parameters; the caller releases it. */
    public Mat augment(Mat rgb) {
        return apply(rgb, Augmentation.random(random));
    }

    /** A new crop with the given parameters applied; the input is left alone, the caller releases the result. */
    public static Mat apply(Mat rgb, Augmentation a) {
        Mat current = rgb.clone();
        if (a.flip()) {
            Mat flipped = new Mat();
            Core.flip(current, flipped, 1);
            current.release();
            current = flipped;
        }
        if (a.moves()) {
            Point centre = new Point((current.cols() - 1) / 2.0, (current.rows() - 1) / 2.0);
            Mat matrix = Imgproc.getRotationMatrix2D(centre, a.angleDegrees(), a.scale());
            Mat warped = new Mat();
            Imgproc.warpAffine(current, warped, matrix, current.size(), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
            matrix.release();
            current.release();
            current = warped;
        }
        if (a.recolours()) {
            // v' = b·((v − 127.5)·c + 127.5) = (b·c)·v + b·127.5·(1 − c), saturated to [0, 255].
            Mat recoloured = new Mat();
            double alpha = a.brightness() * a.contrast();
            double beta = a.brightness() * 127.5 * (1 - a.contrast());
            current.convertTo(recoloured, -1, alpha, beta);
            current.release();
            current = recoloured;
        }
        return current;
    }
}
