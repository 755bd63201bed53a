package io.facestream.cli;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import nu.pattern.OpenCV;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Writes one face photo in the awkward encodings cameras and users produce: grey, alpha, 16-bit, CMYK,
 * truncated, empty, not an image. The photo is the face-api demo picture the build fetches.
 */
final class ImageFiles {

    static {
        OpenCV.loadLocally();
    }

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
        return write(convert(src, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("grey.png"));
    }

    static Path withAlpha(BufferedImage src, Path dir) throws IOException {
        return write(convert(src, BufferedImage.TYPE_INT_ARGB), "png", dir.resolve("alpha.png"));
    }

    static Path sixteenBit(Path srcFile, Path dir) {
        Mat bgr = Imgcodecs.imread(srcFile.toString());
        Mat wide = new Mat();
        bgr.convertTo(wide, CvType.CV_16UC3, 257);
        Path out = dir.resolve("sixteen-bit.png");
        Imgcodecs.imwrite(out.toString(), wide);
        return out;
    }

    /** A CMYK JPEG as Photoshop writes it: Adobe marker, inverted samples (stored = 255 − ink). */
    static Path cmyk(BufferedImage src, Path dir) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, src.getWidth(), src.getHeight(), 4,
                null);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int rgb = src.getRGB(x, y);
                // ink C = 255 − R etc. and K = 0, so the stored (inverted) samples are R, G, B, 255
                raster.setPixel(x, y, new int[] {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, 255});
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] out = new byte[jpeg.length + adobe.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(adobe, 0, out, 2, adobe.length);
        System.arraycopy(jpeg, 2, out, 2 + adobe.length, jpeg.length - 2);
        return Files.write(dir.resolve("cmyk.jpg"), out);
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
        int height = src.getHeight() * width / src.getWidth();
        BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        small.createGraphics().drawImage(src, 0, 0, width, height, null);
        return write(small, "jpg", dir.resolve(name));
    }

    private static BufferedImage convert(BufferedImage src, int type) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), type);
        out.createGraphics().drawImage(src, 0, 0, null);
        return out;
    }

    private static Path write(BufferedImage image, String format, Path file) throws IOException {
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }
}
