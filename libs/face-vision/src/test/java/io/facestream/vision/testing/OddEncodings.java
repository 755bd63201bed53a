package io.facestream.vision.testing;

import io.facestream.vision.OpenCvLoader;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * One photo in the encodings cameras and users actually produce besides 8-bit RGB: grey, with alpha, 16 bits
 * per channel, CMYK. Shared by the command-line and pipeline tests (test-jar of face-vision).
 */
public final class OddEncodings {

    private OddEncodings() {
    }

    public static byte[] greyPng(BufferedImage src) {
        return write(convert(src, BufferedImage.TYPE_BYTE_GRAY), "png");
    }

    public static byte[] alphaPng(BufferedImage src) {
        return write(convert(src, BufferedImage.TYPE_INT_ARGB), "png");
    }

    public static byte[] jpeg(BufferedImage src) {
        return write(convert(src, BufferedImage.TYPE_INT_RGB), "jpg");
    }

    /** 16 bits per channel (each 8-bit value v stored as v·257), written by OpenCV. */
    public static byte[] sixteenBitPng(byte[] encoded) {
        OpenCvLoader.ensureLoaded();
        Mat bgr = Imgcodecs.imdecode(new MatOfByte(encoded), Imgcodecs.IMREAD_COLOR);
        Mat wide = new Mat();
        MatOfByte out = new MatOfByte();
        try {
            bgr.convertTo(wide, CvType.CV_16UC3, 257);
            Imgcodecs.imencode(".png", wide, out);
            return out.toArray();
        } finally {
            bgr.release();
            wide.release();
            out.release();
        }
    }

    /** A CMYK JPEG as Photoshop writes it: an Adobe APP14 marker and inverted samples (stored = 255 − ink). */
    public static byte[] cmykJpeg(BufferedImage src) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] result = new byte[jpeg.length + adobe.length];
        System.arraycopy(jpeg, 0, result, 0, 2);
        System.arraycopy(adobe, 0, result, 2, adobe.length);
        System.arraycopy(jpeg, 2, result, 2 + adobe.length, jpeg.length - 2);
        return result;
    }

    /** The image scaled to {@code width} (aspect kept). */
    public static BufferedImage scaled(BufferedImage src, int width) {
        int height = src.getHeight() * width / src.getWidth();
        BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        small.createGraphics().drawImage(src, 0, 0, width, height, null);
        return small;
    }

    private static BufferedImage convert(BufferedImage src, int type) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), type);
        out.createGraphics().drawImage(src, 0, 0, null);
        return out;
    }

    private static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IOException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
