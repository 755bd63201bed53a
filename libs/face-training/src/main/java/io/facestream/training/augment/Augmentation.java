package io.facestream.training.augment;

import java.util.Random;

/**
 * One draw of augmentation parameters for a face crop. Geometry is applied first (mirror, then rotation and
 * scale about the crop centre), then the photometric change {@code v' = brightness · ((v − 127.5) · contrast + 127.5)}.
 *
 * @param flip          mirror left-right
 * @param angleDegrees  rotation about the centre, counter-clockwise in image coordinates as OpenCV defines it
 * @param scale         zoom about the centre (1 = unchanged)
 * @param brightness    multiplier of the pixel values (1 = unchanged)
 * @param contrast      multiplier of the distance from mid-grey (1 = unchanged)
 */
public record Augmentation(boolean flip, double angleDegrees, double scale, double brightness, double contrast) {

    /** Leaves every pixel as it is. */
    public static final Augmentation IDENTITY = new Augmentation(false, 0, 1, 1, 1);

    public static final double FLIP_PROBABILITY = 0.5;
    public static final double MAX_ANGLE_DEGREES = 10;
    public static final double MIN_SCALE = 0.9;
    public static final double MAX_SCALE = 1.1;
    /** Brightness and contrast vary by up to this fraction either way. */
    public static final double MAX_JITTER = 0.2;

    public Augmentation {
        if (!(scale > 0) || !(brightness >= 0) || !(contrast >= 0)) {
            throw new IllegalArgumentException("scale must be positive, brightness and contrast non-negative");
        }
    }

    /** Flip with p = 0.5, angle uniform in ±10°, scale in [0.9, 1.1], brightness and contrast in [0.8, 1.2]. */
    public static Augmentation random(Random random) {
        boolean flip = random.nextDouble() < FLIP_PROBABILITY;
        double angle = uniform(random, -MAX_ANGLE_DEGREES, MAX_ANGLE_DEGREES);
        double scale = uniform(random, MIN_SCALE, MAX_SCALE);
        double brightness = uniform(random, 1 - MAX_JITTER, 1 + MAX_JITTER);
        double contrast = uniform(random, 1 - MAX_JITTER, 1 + MAX_JITTER);
        return new Augmentation(flip, angle, scale, brightness, contrast);
    }

    boolean moves() {
        return angleDegrees != 0 || scale != 1;
    }

    boolean recolours() {
        return brightness != 1 || contrast != 1;
    }

    private static double uniform(Random random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }
}
