package io.facestream.vision.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class GreyPreviewTest {

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());

    @Test
    void aJpegDecodesReducedInGreyKeepingTheWidthAsked() throws Exception {
        byte[] jpeg = Fixtures.jpeg(new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB));
        Mat quarter = decoder.decodeGreyPreview(jpeg, 8, 160);
        Mat eighth = decoder.decodeGreyPreview(jpeg, 8, 80);
        Mat capped = decoder.decodeGreyPreview(jpeg, 2, 80);
        Mat full = decoder.decodeGreyPreview(jpeg, 8, 641);
        try {
            assertEquals(CvType.CV_8UC1, quarter.type());
            assertEquals(160, quarter.cols(), "1/8 would leave 80 columns, fewer than 160");
            assertEquals(120, quarter.rows());
            assertEquals(80, eighth.cols());
            assertEquals(320, capped.cols(), "no more than the maximum reduction");
            assertEquals(640, full.cols(), "never narrower than the frame itself");
        } finally {
            quarter.release();
            eighth.release();
            capped.release();
            full.release();
        }
    }

    @Test
    void otherFormatsDecodeInFullSize() throws Exception {
        Mat grey = decoder.decodeGreyPreview(Fixtures.referenceRgbPng(), 4, 8);
        try {
            assertEquals(CvType.CV_8UC1, grey.type());
            assertEquals(32, grey.cols(), "PNG is not scaled while decoding");
        } finally {
            grey.release();
        }
    }

    @Test
    void theHeaderChecksComeFirst() {
        byte[] big = Fixtures.jpeg(new BufferedImage(3000, 2000, BufferedImage.TYPE_INT_RGB));
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder(new DecodeLimits(5_000_000, 1 << 20)).decodeGreyPreview(big, 8, 160));
        assertEquals(ImageDecodeException.Reason.TOO_MANY_PIXELS, e.reason());
        byte[] jpeg = Fixtures.jpeg(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB));
        byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertEquals(ImageDecodeException.Reason.TRUNCATED,
                assertThrows(ImageDecodeException.class, () -> decoder.decodeGreyPreview(half, 4, 8)).reason());
        assertThrows(IllegalArgumentException.class, () -> decoder.decodeGreyPreview(jpeg, 3, 8));
    }
}
