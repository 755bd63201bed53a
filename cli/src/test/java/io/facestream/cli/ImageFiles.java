package io.facestream.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import io.facestream.vision.testing.OddEncodings;
import javax.imageio.ImageIO;

/**
 * Writes one face photo in the awkward encodings cameras and users produce: grey, alpha, 16-bit, CMYK,
 * truncated, empty, not an image. The photo is the face-api demo picture the build fetches.
 */
final class ImageFiles {

    private ImageFiles() {
    }

    static Path demoPhoto(String name) {
        Path p = Path.of(System.getenv().getOrDefault("FACESTREAM_DEMO_DIR", ".cache/demo-photos"), name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("demo photo missing: " + p + " (the build fetches it; run mvn install)");
        }
        return p;
    }

    static BufferedImage read(Path p) throws IOException {
        return ImageIO.read(p.toFile());
    }

    static Path grey(BufferedImage src, Path dir) throws IOException {
        return Files.write(dir.resolve("grey.png"), OddEncodings.greyPng(src));
    }

    static Path withAlpha(BufferedImage src, Path dir) throws IOException {
        return Files.write(dir.resolve("alpha.png"), OddEncodings.alphaPng(src));
    }

    static Path sixteenBit(Path srcFile, Path dir) throws IOException {
        return Files.write(dir.resolve("sixteen-bit.png"), OddEncodings.sixteenBitPng(Files.readAllBytes(srcFile)));
    }

    static Path cmyk(BufferedImage src, Path dir) throws IOException {
        return Files.write(dir.resolve("cmyk.jpg"), OddEncodings.cmykJpeg(src));
    }

    static Path truncated(Path jpeg, Path dir) throws IOException {
        byte[] b = Files.readAllBytes(jpeg);
        return Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(b, b.length / 2));
    }

    static Path empty(Path dir) throws IOException {
        return Files.write(dir.resolve("empty.jpg"), new byte[0]);
    }

    static Path notAnImage(Path dir) throws IOException {
        return Files.writeString(dir.resolve("notes.jpg"), "these are not pixels\n");
    }

    static Path scaled(BufferedImage src, int width, Path dir, String name) throws IOException {
        return Files.write(dir.resolve(name), OddEncodings.jpeg(OddEncodings.scaled(src, width)));
    }
}
