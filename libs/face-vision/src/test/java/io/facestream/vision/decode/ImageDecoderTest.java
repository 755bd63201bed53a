package io.facestream.vision.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.vision.OpenCvLoader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

class ImageDecoderTest {

    private static ImageDecoder decoder;

    @BeforeAll
    static void setUp() {
        OpenCvLoader.ensureLoaded();
        decoder = new ImageDecoder(DecodeLimits.defaults());
    }

    @Test
    void emptyBytesAreEmpty() {
        ImageDecodeException e = refused(decoder, new byte[0]);
        assertEquals(ImageDecodeException.Reason.EMPTY, e.reason());
        assertEquals("image is empty (0 bytes)", e.getMessage());
    }

    @Test
    void randomBytesAreNotAnImage() {
        byte[] noise = new byte[1000];
        new Random(7).nextBytes(noise);
        assertTrue(ImageFormat.sniff(noise).isEmpty(), "precondition: the seed must not produce a magic number");
        ImageDecodeException e = refused(decoder, noise);
        assertEquals(ImageDecodeException.Reason.NOT_AN_IMAGE, e.reason());
        assertTrue(e.getMessage().startsWith("not an image: unrecognised leading bytes"), e.getMessage());
    }

    @Test
    void jpegCutInHalfIsTruncatedAlthoughOpenCvWouldDecodeIt() {
        byte[] half = Arrays.copyOf(noisyJpeg(), noisyJpeg().length / 2);
        // The reason the check exists: OpenCV fills the missing rows with grey and reports success.
        Mat silentlyPadded = Imgcodecs.imdecode(new MatOfByte(half), Imgcodecs.IMREAD_COLOR);
        assertFalse(silentlyPadded.empty(), "precondition: OpenCV decodes a half JPEG without error");
        silentlyPadded.release();

        ImageDecodeException e = refused(decoder, half);
        assertEquals(ImageDecodeException.Reason.TRUNCATED, e.reason());
        assertEquals("truncated JPEG: no end-of-image marker", e.getMessage());
    }

    @Test
    void jpegWithZeroPaddingOrTrailingDataAfterEndMarkerDecodes() throws Exception {
        byte[] jpeg = noisyJpeg();
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 100);
        byte[] trailer = Arrays.copyOf(jpeg, jpeg.length + 4);
        trailer[jpeg.length] = 'f';
        trailer[jpeg.length + 1] = 't';
        trailer[jpeg.length + 2] = 'y';
        trailer[jpeg.length + 3] = 'p';
        try (DecodedImage a = decoder.decode(padded); DecodedImage b = decoder.decode(trailer)) {
            assertEquals(64, a.width());
            assertEquals(64, b.width());
        }
    }

    @Test
    void jpegCutRightAfterItsHeadersIsTruncated() {
        byte[] jpeg = noisyJpeg();
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length - 2);
        // Losing just the final FF D9 already counts: the scan may be complete, but nothing says so.
        ImageDecodeException e = refused(decoder, cut);
        assertEquals(ImageDecodeException.Reason.TRUNCATED, e.reason());
    }

    @Test
    void pngCutInHalfIsTruncated() {
        byte[] png = Fixtures.referenceRgbPng();
        ImageDecodeException e = refused(decoder, Arrays.copyOf(png, png.length / 2));
        assertEquals(ImageDecodeException.Reason.TRUNCATED, e.reason());
        assertTrue(e.getMessage().startsWith("truncated PNG: "), e.getMessage());
    }

    @Test
    void pngMissingOnlyItsIendChunkIsTruncated() {
        byte[] png = Fixtures.referenceRgbPng();
        ImageDecodeException e = refused(decoder, Arrays.copyOf(png, png.length - 12));
        assertEquals(ImageDecodeException.Reason.TRUNCATED, e.reason());
        assertEquals("truncated PNG: no IEND chunk", e.getMessage());
    }

    @Test
    void bmpMissingHalfItsRowsIsTruncated() {
        byte[] bmp = Fixtures.bmp24(32, 32, false, (x, y, c) -> 0);
        ImageDecodeException e = refused(decoder, Arrays.copyOf(bmp, bmp.length / 2));
        assertEquals(ImageDecodeException.Reason.TRUNCATED, e.reason());
        // 54 header bytes + 32 rows of 96 bytes
        assertEquals("truncated BMP: pixel data needs 3126 bytes, only 1563 present", e.getMessage());
    }

    @Test
    void pngWithGarbageInsteadOfCompressedDataIsCorrupt() {
        byte[] garbage = new byte[64];
        new Random(3).nextBytes(garbage);
        byte[] png = Fixtures.pngFile(8, 8, 8, 2, garbage);
        ImageDecodeException e = refused(decoder, png);
        assertEquals(ImageDecodeException.Reason.CORRUPT, e.reason());
        assertEquals("corrupt PNG: OpenCV could not decode the pixel data", e.getMessage());
    }

    @Test
    void decompressionBombIsRefusedFromItsHeader() throws IOException {
        // A genuine 20000x20000 1-bit PNG: every row is a filter byte plus 2500 zero bytes, which deflate
        // squeezes to a tiny file. Decoded with IMREAD_COLOR it would need 1.2 GB.
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            byte[] row = new byte[1 + 2500];
            for (int y = 0; y < 20_000; y++) {
                z.write(row);
            }
        }
        byte[] bomb = Fixtures.pngFile(20_000, 20_000, 1, 0, idat.toByteArray());
        assertTrue(bomb.length < 100_000, "bomb should be tiny, was " + bomb.length);

        ImageDecodeException e = refused(decoder, bomb);
        assertEquals(ImageDecodeException.Reason.TOO_MANY_PIXELS, e.reason());
        assertEquals("image is 20000x20000 = 400.0 MP, over the 40.0 MP limit", e.getMessage());
    }

    @Test
    void eightKByFourKJpegAndPngDecodeWithinTheDefaultLimits() throws Exception {
        // 7680×4320 = 33.2 MP, the largest camera frame the pipeline promises to take (README, "HTTP API").
        Mat frame = new Mat(4320, 7680, org.opencv.core.CvType.CV_8UC3, new org.opencv.core.Scalar(40, 80, 120));
        org.opencv.imgproc.Imgproc.rectangle(frame, new org.opencv.core.Point(7000, 4000),
                new org.opencv.core.Point(7679, 4319), new org.opencv.core.Scalar(255, 255, 255), -1);
        for (String format : List.of(".jpg", ".png")) {
            MatOfByte encoded = new MatOfByte();
            assertTrue(Imgcodecs.imencode(format, frame, encoded));
            try (DecodedImage image = decoder.decode(encoded.toArray())) {
                assertEquals(7680, image.width(), format);
                assertEquals(4320, image.height(), format);
                int[] background = Fixtures.pixel(image.rgb(), 10, 10); // RGB of BGR (40, 80, 120), JPEG within 3
                assertTrue(Math.abs(background[0] - 120) <= 3 && Math.abs(background[1] - 80) <= 3
                        && Math.abs(background[2] - 40) <= 3, format + " " + Arrays.toString(background));
                int[] corner = Fixtures.pixel(image.rgb(), 7679, 4319);
                assertTrue(corner[0] > 250 && corner[1] > 250 && corner[2] > 250, format + " " + Arrays.toString(corner));
            }
            encoded.release();
        }
        frame.release();
    }

    @Test
    void pixelLimitIsInclusive() throws Exception {
        byte[] png = Fixtures.referenceRgbPng(); // 32x32 = 1024 pixels
        try (DecodedImage image = new ImageDecoder(new DecodeLimits(1024, 1 << 20)).decode(png)) {
            assertEquals(32, image.width());
        }
        ImageDecodeException e = refused(new ImageDecoder(new DecodeLimits(1023, 1 << 20)), png);
        assertEquals(ImageDecodeException.Reason.TOO_MANY_PIXELS, e.reason());
        assertEquals("image is 32x32 = 1,024 pixels, over the 1,023-pixel limit", e.getMessage());
    }

    @Test
    void pixelLimitCountsJpegFrameSize() {
        byte[] jpeg = Fixtures.jpeg(new BufferedImage(3000, 2000, BufferedImage.TYPE_INT_RGB));
        ImageDecodeException e = refused(new ImageDecoder(new DecodeLimits(5_000_000, 1 << 20)), jpeg);
        assertEquals(ImageDecodeException.Reason.TOO_MANY_PIXELS, e.reason());
        assertEquals("image is 3000x2000 = 6.0 MP, over the 5.0 MP limit", e.getMessage());
    }

    @Test
    void byteLimitIsInclusive() throws Exception {
        byte[] png = Fixtures.referenceRgbPng();
        try (DecodedImage image = new ImageDecoder(new DecodeLimits(1 << 20, png.length)).decode(png)) {
            assertEquals(32, image.width());
        }
        ImageDecodeException e = refused(new ImageDecoder(new DecodeLimits(1 << 20, png.length - 1)), png);
        assertEquals(ImageDecodeException.Reason.TOO_MANY_BYTES, e.reason());
        assertEquals(String.format("image is %d bytes, over the %d-byte limit", png.length, png.length - 1),
                e.getMessage());
    }

    @Test
    void byteLimitIsCheckedBeforeTheHeader() {
        // Over the limit and not an image: the cheaper check answers first.
        byte[] junk = new byte[2_000_000];
        ImageDecodeException e = refused(new ImageDecoder(new DecodeLimits(1 << 20, 1 << 20)), junk);
        assertEquals(ImageDecodeException.Reason.TOO_MANY_BYTES, e.reason());
        assertEquals("image is 2,000,000 bytes (1.9 MiB), over the 1.0 MiB limit", e.getMessage());
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("face.png");
        Files.write(file, Fixtures.referenceRgbPng());
        try (DecodedImage image = decoder.read(file)) {
            assertArrayEquals(new int[] {255, 0, 0}, Fixtures.pixel(image.rgb(), 3, 3));
        }
    }

    @Test
    void missingFileIsUnreadable(@TempDir Path dir) {
        Path file = dir.resolve("nope.jpg");
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.read(file));
        assertEquals(ImageDecodeException.Reason.UNREADABLE, e.reason());
        assertEquals("no such file: " + file, e.getMessage());
    }

    @Test
    void directoryIsUnreadable(@TempDir Path dir) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.read(dir));
        assertEquals(ImageDecodeException.Reason.UNREADABLE, e.reason());
        assertEquals("not a regular file: " + dir, e.getMessage());
    }

    @Test
    void fileOverByteLimitIsRefusedBeforeDecoding(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.png");
        Files.write(file, Fixtures.referenceRgbPng());
        ImageDecoder strict = new ImageDecoder(new DecodeLimits(1 << 20, 100));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> strict.read(file));
        assertEquals(ImageDecodeException.Reason.TOO_MANY_BYTES, e.reason());
    }

    @Test
    void closeReleasesTheMat() throws Exception {
        DecodedImage image = decoder.decode(Fixtures.referenceRgbPng());
        assertFalse(image.rgb().empty());
        image.close();
        assertTrue(image.rgb().empty());
    }

    @Test
    void oneDecoderServesManyThreads() throws Exception {
        byte[] jpeg = noisyJpeg();
        byte[] expected;
        try (DecodedImage image = decoder.decode(jpeg)) {
            expected = new byte[64 * 64 * 3];
            image.rgb().get(0, 0, expected);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    try (DecodedImage image = decoder.decode(jpeg)) {
                        byte[] data = new byte[64 * 64 * 3];
                        image.rgb().get(0, 0, data);
                        return data;
                    }
                }));
            }
            for (Future<byte[]> result : results) {
                assertArrayEquals(expected, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** 64x64 of seeded noise: big enough that half the file lies in the entropy-coded data. */
    private static byte[] noisyJpeg() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(11);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return Fixtures.jpeg(image);
    }

    private static ImageDecodeException refused(ImageDecoder decoder, byte[] bytes) {
        return assertThrows(ImageDecodeException.class, () -> decoder.decode(bytes).close());
    }
}
