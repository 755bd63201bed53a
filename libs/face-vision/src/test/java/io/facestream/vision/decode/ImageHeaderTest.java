package io.facestream.vision.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.vision.OpenCvLoader;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class ImageHeaderTest {

    @BeforeAll
    static void loadOpenCv() {
        OpenCvLoader.ensureLoaded();
    }

    @Test
    void readsPngSizeAndLayoutFromIhdr() throws Exception {
        byte[] png = Fixtures.png(5, 3, 16, 6, (x, y, c) -> 0);
        assertEquals(new ImageHeader(ImageFormat.PNG, 5, 3, "16-bit rgba"), ImageHeader.probe(png));
    }

    @Test
    void pngCutInsideIhdrIsTruncated() {
        byte[] cut = Arrays.copyOf(Fixtures.referenceRgbPng(), 20);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageHeader.probe(cut));
        assertEquals(ImageDecodeException.Reason.TRUNCATED, e.reason());
        assertEquals("truncated PNG: header cut short at 20 bytes", e.getMessage());
    }

    @Test
    void pngWhoseCrLfWasRewrittenByATextTransferIsCorrupt() {
        byte[] png = Fixtures.referenceRgbPng();
        // Drop the CR of the signature's CR LF, as a CRLF-to-LF conversion would.
        byte[] damaged = new byte[png.length - 1];
        System.arraycopy(png, 0, damaged, 0, 4);
        System.arraycopy(png, 5, damaged, 4, png.length - 5);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageHeader.probe(damaged));
        assertEquals(ImageDecodeException.Reason.CORRUPT, e.reason());
        assertEquals("corrupt PNG: damaged signature (was it transferred as text?)", e.getMessage());
    }

    @Test
    void readsJpegSizeFromFrameHeader() throws Exception {
        byte[] jpeg = Fixtures.jpeg(new BufferedImage(40, 24, BufferedImage.TYPE_INT_RGB));
        assertEquals(new ImageHeader(ImageFormat.JPEG, 40, 24, "8-bit ycbcr"), ImageHeader.probe(jpeg));
    }

    @Test
    void skipsFrameHeaderHiddenInsideAnApp1Segment() throws Exception {
        // An EXIF thumbnail carries its own SOF0; here it claims 20000x20000 and must not be mistaken for the image.
        byte[] fakeSof = {(byte) 0xFF, (byte) 0xC0, 0, 17, 8, 0x4E, 0x20, 0x4E, 0x20, 3,
            1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1};
        byte[] app1 = ByteBuffer.allocate(4 + 6 + fakeSof.length)
                .put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + fakeSof.length))
                .put("Exif\0\0".getBytes(StandardCharsets.US_ASCII)).put(fakeSof).array();
        byte[] jpeg = Fixtures.insertAfterSoi(Fixtures.jpeg(Fixtures.referenceRgbImage()), app1);
        ImageHeader header = ImageHeader.probe(jpeg);
        assertEquals(32, header.width());
        assertEquals(32, header.height());
    }

    @Test
    void jpegCutBeforeItsFrameHeaderIsTruncated() {
        byte[] jpeg = Fixtures.jpeg(Fixtures.referenceRgbImage());
        // SOI + APP0 (JFIF, 18 bytes) + part of the first DQT: no SOF yet.
        byte[] cut = Arrays.copyOf(jpeg, 30);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageHeader.probe(cut));
        assertEquals(ImageDecodeException.Reason.TRUNCATED, e.reason());
        assertEquals("truncated JPEG: header cut short at 30 bytes", e.getMessage());
    }

    @Test
    void readsTopDownBmpSizeAsPositive() throws Exception {
        byte[] bmp = Fixtures.bmp24(2, 3, true, (x, y, c) -> 0);
        assertEquals(new ImageHeader(ImageFormat.BMP, 2, 3, "24-bit rgb"), ImageHeader.probe(bmp));
    }

    @Test
    void textThatHappensToStartWithBmIsNotAnImage() {
        byte[] text = "BMW owners club newsletter, issue 4".getBytes(StandardCharsets.US_ASCII);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageHeader.probe(text));
        assertEquals(ImageDecodeException.Reason.NOT_AN_IMAGE, e.reason());
    }

    @Test
    void readsLossyWebpSize() throws Exception {
        byte[] webp = encode(".webp", new Mat(24, 40, CvType.CV_8UC3, new Scalar(10, 20, 30)), 80);
        assertEquals(new ImageHeader(ImageFormat.WEBP, 40, 24, "lossy rgb"), ImageHeader.probe(webp));
    }

    @Test
    void readsLosslessWebpSize() throws Exception {
        // libwebp switches to lossless above quality 100.
        byte[] webp = encode(".webp", new Mat(7, 9, CvType.CV_8UC3, new Scalar(10, 20, 30)), 101);
        assertEquals(new ImageHeader(ImageFormat.WEBP, 9, 7, "lossless rgb"), ImageHeader.probe(webp));
    }

    @Test
    void readsExtendedWebpSizeForLossyWithAlpha() throws Exception {
        byte[] webp = encode(".webp", new Mat(5, 300, CvType.CV_8UC4, new Scalar(10, 20, 30, 128)), 80);
        assertEquals(new ImageHeader(ImageFormat.WEBP, 300, 5, "extended rgba"), ImageHeader.probe(webp));
    }

    @Test
    void namesGifAsUnsupported() {
        byte[] gif = "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageHeader.probe(gif));
        assertEquals(ImageDecodeException.Reason.NOT_AN_IMAGE, e.reason());
        assertEquals("GIF images are not supported (supported: JPEG, PNG, BMP, WEBP)", e.getMessage());
    }

    @Test
    void emptyInputIsEmpty() {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageHeader.probe(new byte[0]));
        assertEquals(ImageDecodeException.Reason.EMPTY, e.reason());
    }

    private static byte[] encode(String extension, Mat image, int webpQuality) {
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(extension, image, out, new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, webpQuality));
        return out.toArray();
    }
}
