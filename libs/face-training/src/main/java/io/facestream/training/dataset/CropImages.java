package io.facestream.training.dataset;

import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.vision.OpenCvLoader;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import java.io.IOException;
import java.nio.file.Path;
import org.opencv.core.Mat;

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
}
