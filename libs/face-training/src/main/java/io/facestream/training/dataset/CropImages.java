package io.facestream.training.dataset;

import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.OpenCvLoader;
import java.io.IOException;
import java.nio.file.Path;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Reads and writes the aligned 112×112 crops of a {@link LabelledFaces} store (PNG, RGB in memory). */
public final class CropImages {

    private static final ImageDecoder DECODER = new ImageDecoder(DecodeLimits.defaults());

    static {
        OpenCvLoader.ensureLoaded();
    }

    private CropImages() {
    }

    /**
     * The crop in a file as an RGB Mat the caller releases.
     *
     * @throws IOException when the file is unreadable or not a 112×112 image
     */
    public static Mat read(Path file) throws IOException {
        try (DecodedImage image = DECODER.read(file)) {
            if (image.width() != MobileFaceNet.INPUT_SIZE || image.height() != MobileFaceNet.INPUT_SIZE) {
                throw new IOException(file + " is " + image.width() + "×" + image.height() + ", not an aligned "
                        + MobileFaceNet.INPUT_SIZE + "×" + MobileFaceNet.INPUT_SIZE + " crop");
            }
            return image.rgb().clone();
        } catch (ImageDecodeException e) {
            throw new IOException("cannot decode " + file + ": " + e.getMessage(), e);
        }
    }

    /** PNG bytes of an RGB crop. */
    public static byte[] png(Mat rgb) {
        Mat bgr = new Mat();
        MatOfByte out = new MatOfByte();
        try {
            Imgproc.cvtColor(rgb, bgr, Imgproc.COLOR_RGB2BGR);
            if (!Imgcodecs.imencode(".png", bgr, out)) {
                throw new IllegalStateException("PNG encoding failed");
            }
            return out.toArray();
        } finally {
            bgr.release();
            out.release();
        }
    }
}
