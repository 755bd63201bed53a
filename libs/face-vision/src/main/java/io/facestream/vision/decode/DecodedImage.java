package io.facestream.vision.decode;

import java.util.Objects;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * A decoded image in the one layout the rest of the pipeline accepts. Owns native memory: close it (or use
 * try-with-resources) rather than waiting for the garbage collector, which does not see the native size.
 *
 * @param rgb    {@code CV_8UC3}, channels in R, G, B order (not OpenCV's usual BGR), EXIF orientation applied
 * @param header what the encoded header declared; its width and height are the stored ones, which an EXIF
 *               rotation of 90 or 270 degrees swaps relative to {@link #width()} and {@link #height()}
 */
public record DecodedImage(Mat rgb, ImageHeader header) implements AutoCloseable {

    public DecodedImage {
        Objects.requireNonNull(rgb, "rgb");
        Objects.requireNonNull(header, "header");
        if (rgb.empty() || rgb.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("rgb must be a non-empty CV_8UC3 Mat, was " + rgb);
        }
    }

    public int width() {
        return rgb.cols();
    }

    public int height() {
        return rgb.rows();
    }

    /** How the source stored its pixels, e.g. {@code "16-bit rgba"}; see {@link ImageHeader#layout()}. */
    public String sourceLayout() {
        return header.layout();
    }

    @Override
    public void close() {
        rgb.release();
    }
}
