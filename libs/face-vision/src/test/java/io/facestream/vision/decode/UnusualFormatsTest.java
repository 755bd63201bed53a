package io.facestream.vision.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.vision.OpenCvLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Valid images that are not plain 8-bit RGB must decode, not fail: each variant of the reference picture has to
 * come out with the same RGB content as the plain 8-bit RGB PNG.
 */
class UnusualFormatsTest {

    /** JPEG at quality 1.0 in a flat 16x16 block: measured error is at most 1 (CMYK too); margin for codec updates. */
    private static final int JPEG_TOLERANCE = 4;

    private static ImageDecoder decoder;

    @BeforeAll
    static void setUp() {
        OpenCvLoader.ensureLoaded();
        decoder = new ImageDecoder(DecodeLimits.defaults());
    }

    @Test
    void plainRgbPngReferenceDecodesToTheBlockColours() throws Exception {
        try (DecodedImage image = decoder.decode(Fixtures.referenceRgbPng())) {
            assertEquals("8-bit rgb", image.sourceLayout());
            Fixtures.assertBlocks(Fixtures.BLOCK_RGB, image, 0);
            // Pure red: R at channel 0, not at channel 2 as in OpenCV's BGR.
            assertArrayEquals(new int[] {255, 0, 0}, Fixtures.pixel(image.rgb(), 0, 0));
            assertArrayEquals(new int[] {0, 0, 255}, Fixtures.pixel(image.rgb(), 0, 31));
        }
    }

    @Test
    void pngWithAlphaDropsAlphaWithoutCompositing() throws Exception {
        // Alpha varies from opaque to fully transparent; IMREAD_COLOR keeps the stored colour regardless.
        byte[] rgba = Fixtures.png(Fixtures.SIZE, Fixtures.SIZE, 8, 6,
                (x, y, c) -> c == 3 ? (x * 8) % 256 : Fixtures.BLOCK_RGB[Fixtures.block(x, y)][c]);
        try (DecodedImage reference = decoder.decode(Fixtures.referenceRgbPng());
             DecodedImage image = decoder.decode(rgba)) {
            assertEquals("8-bit rgba", image.sourceLayout());
            Fixtures.assertSamePixels(reference.rgb(), image.rgb());
        }
    }

    @Test
    void greyscalePngIsReplicatedToThreeChannels() throws Exception {
        try (DecodedImage image = decoder.decode(Fixtures.referenceGreyPng())) {
            assertEquals("8-bit grey", image.sourceLayout());
            Fixtures.assertBlocks(Fixtures.greyBlocksAsRgb(), image, 0);
        }
    }

    @Test
    void greyscaleWithAlphaPngDecodes() throws Exception {
        byte[] greyAlpha = Fixtures.png(Fixtures.SIZE, Fixtures.SIZE, 8, 4,
                (x, y, c) -> c == 1 ? 0 : Fixtures.BLOCK_GREY[Fixtures.block(x, y)]);
        try (DecodedImage image = decoder.decode(greyAlpha)) {
            assertEquals("8-bit grey+alpha", image.sourceLayout());
            Fixtures.assertBlocks(Fixtures.greyBlocksAsRgb(), image, 0);
        }
    }

    @Test
    void sixteenBitPngKeepsTheHighByte() throws Exception {
        // v * 257 spreads an 8-bit value over 16 bits (0xAB -> 0xABAB), so the high byte is v again.
        byte[] deep = Fixtures.png(Fixtures.SIZE, Fixtures.SIZE, 16, 2,
                (x, y, c) -> Fixtures.BLOCK_RGB[Fixtures.block(x, y)][c] * 257);
        try (DecodedImage reference = decoder.decode(Fixtures.referenceRgbPng());
             DecodedImage image = decoder.decode(deep)) {
            assertEquals("16-bit rgb", image.sourceLayout());
            Fixtures.assertSamePixels(reference.rgb(), image.rgb());
        }
    }

    @Test
    void sixteenBitRgbaPngDecodes() throws Exception {
        byte[] deep = Fixtures.png(Fixtures.SIZE, Fixtures.SIZE, 16, 6,
                (x, y, c) -> c == 3 ? 0x1234 : Fixtures.BLOCK_RGB[Fixtures.block(x, y)][c] * 257);
        try (DecodedImage reference = decoder.decode(Fixtures.referenceRgbPng());
             DecodedImage image = decoder.decode(deep)) {
            assertEquals("16-bit rgba", image.sourceLayout());
            Fixtures.assertSamePixels(reference.rgb(), image.rgb());
        }
    }

    @Test
    void rgbJpegMatchesReferenceWithinTolerance() throws Exception {
        try (DecodedImage image = decoder.decode(Fixtures.jpeg(Fixtures.referenceRgbImage()))) {
            assertEquals("8-bit ycbcr", image.sourceLayout());
            Fixtures.assertBlocks(Fixtures.BLOCK_RGB, image, JPEG_TOLERANCE);
        }
    }

    @Test
    void greyscaleJpegIsReplicatedToThreeChannels() throws Exception {
        try (DecodedImage image = decoder.decode(Fixtures.jpeg(Fixtures.referenceGreyImage()))) {
            assertEquals("8-bit grey", image.sourceLayout());
            Fixtures.assertBlocks(Fixtures.greyBlocksAsRgb(), image, JPEG_TOLERANCE);
        }
    }

    @Test
    void cmykJpegIsConvertedToRgb() throws Exception {
        byte[] cmyk = Fixtures.referenceCmykJpeg();
        try (DecodedImage image = decoder.decode(cmyk)) {
            // The frame header has four components, so this really went through the CMYK path.
            assertEquals("8-bit cmyk", image.sourceLayout());
            Fixtures.assertBlocks(Fixtures.BLOCK_RGB, image, JPEG_TOLERANCE);
        }
    }

    @Test
    void losslessWebpMatchesReferenceExactly() throws Exception {
        MatOfByte webp = new MatOfByte();
        Mat bgr = Fixtures.referenceBgrMat();
        Imgcodecs.imencode(".webp", bgr, webp, new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, 101));
        bgr.release();
        try (DecodedImage reference = decoder.decode(Fixtures.referenceRgbPng());
             DecodedImage image = decoder.decode(webp.toArray())) {
            assertEquals("lossless rgb", image.sourceLayout());
            Fixtures.assertSamePixels(reference.rgb(), image.rgb());
        }
    }

    @Test
    void bottomUpAndTopDownBmpBothDecodeUpright() throws Exception {
        Fixtures.Samples blocks = (x, y, c) -> Fixtures.BLOCK_RGB[Fixtures.block(x, y)][c];
        try (DecodedImage reference = decoder.decode(Fixtures.referenceRgbPng());
             DecodedImage bottomUp = decoder.decode(Fixtures.bmp24(Fixtures.SIZE, Fixtures.SIZE, false, blocks));
             DecodedImage topDown = decoder.decode(Fixtures.bmp24(Fixtures.SIZE, Fixtures.SIZE, true, blocks))) {
            assertEquals("24-bit rgb", bottomUp.sourceLayout());
            Fixtures.assertSamePixels(reference.rgb(), bottomUp.rgb());
            Fixtures.assertSamePixels(reference.rgb(), topDown.rgb());
        }
    }

    @Test
    void jpegExifOrientationIsApplied() throws Exception {
        // Stored 32 wide by 16 tall: left half red, right half blue. Orientation 6 means "rotate 90 degrees
        // clockwise to display", which puts the stored left edge at the top.
        java.awt.image.BufferedImage stored =
                new java.awt.image.BufferedImage(32, 16, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                stored.setRGB(x, y, x < 16 ? 0xFF0000 : 0x0000FF);
            }
        }
        byte[] jpeg = Fixtures.insertAfterSoi(Fixtures.jpeg(stored), Fixtures.exifOrientation(6));
        try (DecodedImage image = decoder.decode(jpeg)) {
            assertEquals(32, image.header().width());
            assertEquals(16, image.header().height());
            assertEquals(16, image.width());
            assertEquals(32, image.height());
            int[] top = Fixtures.pixel(image.rgb(), 8, 4);
            int[] bottom = Fixtures.pixel(image.rgb(), 8, 27);
            assertEquals(255, top[0], JPEG_TOLERANCE);
            assertEquals(0, top[2], JPEG_TOLERANCE);
            assertEquals(0, bottom[0], JPEG_TOLERANCE);
            assertEquals(255, bottom[2], JPEG_TOLERANCE);
        }
    }
}
