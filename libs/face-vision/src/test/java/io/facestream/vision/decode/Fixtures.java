package io.facestream.vision.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Builds every test image from scratch. The reference picture is 32x32 in four 16x16 blocks: red top-left,
 * green top-right, blue bottom-left, mid-grey bottom-right. Blocks line up with JPEG's 16x16 MCUs, so away from
 * the block edges JPEG reproduces the colours almost exactly.
 */
final class Fixtures {

    static final int SIZE = 32;
    static final int BLOCK = 16;
    /** R, G, B of each block, indexed by {@link #block(int, int)}. */
    static final int[][] BLOCK_RGB = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {128, 128, 128}};
    /** Grey level of each block for the greyscale variants. */
    static final int[] BLOCK_GREY = {0, 85, 170, 255};

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private Fixtures() {
    }

    static int block(int x, int y) {
        return (y / BLOCK) * 2 + x / BLOCK;
    }

    /** One sample of one channel, in the file's own channel order. */
    interface Samples {
        int at(int x, int y, int channel);
    }

    // ---- PNG, assembled by hand so the bytes on disk are exactly what the test says ----

    static byte[] png(int width, int height, int bitDepth, int colourType, Samples samples) {
        int channels = switch (colourType) {
            case 0 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new IllegalArgumentException("colour type " + colourType);
        };
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(compressed)) {
            for (int y = 0; y < height; y++) {
                z.write(0); // filter type None
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < channels; c++) {
                        int v = samples.at(x, y, c);
                        if (bitDepth == 16) {
                            z.write(v >> 8);
                        }
                        z.write(v & 0xFF);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pngFile(width, height, bitDepth, colourType, compressed.toByteArray());
    }

    static byte[] pngFile(int width, int height, int bitDepth, int colourType, byte[] idat) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PNG_SIGNATURE);
        out.writeBytes(pngChunk("IHDR", ihdr.array()));
        out.writeBytes(pngChunk("IDAT", idat));
        out.writeBytes(pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    static byte[] pngChunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    static byte[] referenceRgbPng() {
        return png(SIZE, SIZE, 8, 2, (x, y, c) -> BLOCK_RGB[block(x, y)][c]);
    }

    static byte[] referenceGreyPng() {
        return png(SIZE, SIZE, 8, 0, (x, y, c) -> BLOCK_GREY[block(x, y)]);
    }

    // ---- JPEG, through the JDK's encoder, which knows nothing of OpenCV's BGR convention ----

    static byte[] jpeg(BufferedImage image) {
        return jpeg(new IIOImage(image, null, null));
    }

    /** Writing a bare Raster makes the JDK encoder store the bands as they are, e.g. four CMYK bands. */
    static byte[] jpeg(Raster raster) {
        return jpeg(new IIOImage(raster, null, null));
    }

    private static byte[] jpeg(IIOImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1.0f);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static BufferedImage referenceRgbImage() {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int[] rgb = BLOCK_RGB[block(x, y)];
                image.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
            }
        }
        return image;
    }

    static BufferedImage referenceGreyImage() {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                image.getRaster().setSample(x, y, 0, BLOCK_GREY[block(x, y)]);
            }
        }
        return image;
    }

    /**
     * The reference picture as a CMYK JPEG the way Photoshop writes one: an Adobe APP14 marker and inverted
     * samples (stored = 255 - ink). Red, green and blue are made from C, M and Y ink; the grey block from K ink
     * alone, so a decoder that ignored K would get it wrong.
     */
    static byte[] referenceCmykJpeg() {
        int[][] inkCmyk = {{0, 255, 255, 0}, {255, 0, 255, 0}, {255, 255, 0, 0}, {0, 0, 0, 127}};
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, SIZE, SIZE, 4, null);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int[] ink = inkCmyk[block(x, y)];
                raster.setPixel(x, y, new int[] {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]});
            }
        }
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0,
            0 /* transform 0: CMYK, not YCCK */};
        return insertAfterSoi(jpeg(raster), adobe);
    }

    /** An EXIF APP1 segment holding only the orientation tag (big-endian TIFF, one IFD entry). */
    static byte[] exifOrientation(int orientation) {
        return ByteBuffer.allocate(36)
                .put((byte) 0xFF).put((byte) 0xE1).putShort((short) 34)
                .put("Exif\0\0".getBytes(StandardCharsets.US_ASCII))
                .put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0x2A).putInt(8)
                .putShort((short) 1)
                .putShort((short) 0x0112).putShort((short) 3).putInt(1)
                .putShort((short) orientation).putShort((short) 0)
                .putInt(0)
                .array();
    }

    static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(segment);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    // ---- BMP, assembled by hand to control row order ----

    /**
     * A 24-bit uncompressed BMP. Rows are given top row first; {@code topDown} chooses whether the file stores
     * them that way (negative height) or bottom-up, the common layout.
     */
    static byte[] bmp24(int width, int height, boolean topDown, Samples rgb) {
        int rowBytes = (width * 3 + 3) / 4 * 4;
        ByteBuffer bmp = ByteBuffer.allocate(54 + rowBytes * height).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(bmp.capacity()).putInt(0).putInt(54);
        bmp.putInt(40).putInt(width).putInt(topDown ? -height : height).putShort((short) 1).putShort((short) 24)
                .putInt(0).putInt(rowBytes * height).putInt(2835).putInt(2835).putInt(0).putInt(0);
        for (int row = 0; row < height; row++) {
            int y = topDown ? row : height - 1 - row;
            int start = bmp.position();
            for (int x = 0; x < width; x++) {
                bmp.put((byte) rgb.at(x, y, 2)).put((byte) rgb.at(x, y, 1)).put((byte) rgb.at(x, y, 0));
            }
            bmp.position(start + rowBytes);
        }
        return bmp.array();
    }

    // ---- OpenCV Mats ----

    /** The reference picture as an OpenCV BGR Mat, for OpenCV's own encoders (WEBP). */
    static Mat referenceBgrMat() {
        byte[] data = new byte[SIZE * SIZE * 3];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int[] rgb = BLOCK_RGB[block(x, y)];
                int i = (y * SIZE + x) * 3;
                data[i] = (byte) rgb[2];
                data[i + 1] = (byte) rgb[1];
                data[i + 2] = (byte) rgb[0];
            }
        }
        Mat bgr = new Mat(SIZE, SIZE, CvType.CV_8UC3);
        bgr.put(0, 0, data);
        return bgr;
    }

    static int[] pixel(Mat rgb, int x, int y) {
        byte[] px = new byte[3];
        rgb.get(y, x, px);
        return new int[] {px[0] & 0xFF, px[1] & 0xFF, px[2] & 0xFF};
    }

    /**
     * Compares the 8x8 interior of each block with the expected colours, within {@code tolerance} per channel.
     * The interiors avoid block edges, where JPEG's chroma upsampling legitimately blends neighbours.
     */
    static void assertBlocks(int[][] expectedRgb, DecodedImage image, int tolerance) {
        assertEquals(SIZE, image.width());
        assertEquals(SIZE, image.height());
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                if (x % BLOCK < 4 || x % BLOCK >= 12 || y % BLOCK < 4 || y % BLOCK >= 12) {
                    continue;
                }
                int[] expected = expectedRgb[block(x, y)];
                int[] actual = pixel(image.rgb(), x, y);
                for (int c = 0; c < 3; c++) {
                    int at = c;
                    int px = x;
                    int py = y;
                    assertTrue(Math.abs(expected[c] - actual[c]) <= tolerance, () -> String.format(
                            "pixel (%d,%d) channel %d: expected %d±%d, was %d", px, py, at, expected[at], tolerance,
                            actual[at]));
                }
            }
        }
    }

    /** Every pixel of every channel equal: for lossless variants of the same picture. */
    static void assertSamePixels(Mat expected, Mat actual) {
        assertEquals(expected.size(), actual.size(), "size");
        assertEquals(expected.type(), actual.type(), "type");
        byte[] want = new byte[(int) (expected.total() * expected.channels())];
        byte[] got = new byte[want.length];
        expected.get(0, 0, want);
        actual.get(0, 0, got);
        for (int i = 0; i < want.length; i++) {
            int at = i;
            assertEquals(want[i] & 0xFF, got[i] & 0xFF, () -> "sample " + at + " (pixel " + at / 3 + ", channel "
                    + at % 3 + ")");
        }
    }

    static int[][] greyBlocksAsRgb() {
        int[][] rgb = new int[4][];
        for (int i = 0; i < 4; i++) {
            rgb[i] = new int[] {BLOCK_GREY[i], BLOCK_GREY[i], BLOCK_GREY[i]};
        }
        return rgb;
    }
}
