package io.facestream.inference.mtcnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.geometry.DetectedFace;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * MTCNN (default settings) on the {@code faces-dev} photos without faces: nothing may be found in
 * {@code noface/}, nor in {@code noface_hard/} (photos that, per the set's README, may fool a detector).
 */
class NoFaceDetectionTest {

    private final MtcnnDetector detector = Detection.detector(MtcnnConfig.DEFAULT);
    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());

    @Test
    void findsNoFaceInPhotosWithoutFaces() throws IOException, ImageDecodeException {
        List<String> falseFaces = detectAll(SharedData.require("faces-dev/noface"));
        assertTrue(falseFaces.isEmpty(), "false faces: " + falseFaces);
    }

    @Test
    void findsNoFaceInHardPhotosWithoutFaces() throws IOException, ImageDecodeException {
        List<String> falseFaces = detectAll(SharedData.require("faces-dev/noface_hard"));
        assertTrue(falseFaces.isEmpty(), "false faces: " + falseFaces);
    }

    /** Every face found in the images under {@code dir}, one line each; prints a summary per image. */
    private List<String> detectAll(Path dir) throws IOException, ImageDecodeException {
        List<Path> images;
        try (Stream<Path> files = Files.walk(dir)) {
            images = files.filter(Files::isRegularFile).filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)$"))
                    .sorted().toList();
        }
        assertTrue(!images.isEmpty(), "no images in " + dir);
        List<String> faces = new ArrayList<>();
        for (Path p : images) {
            try (DecodedImage image = decoder.read(p)) {
                List<DetectedFace> found = detector.detect(image.rgb());
                System.out.printf("%s (%dx%d): %d faces%n", dir.relativize(p), image.width(), image.height(), found.size());
                found.forEach(f -> faces.add(String.format("%s %s score %.3f", dir.relativize(p), f.box(), f.score())));
            }
        }
        return faces;
    }
}
