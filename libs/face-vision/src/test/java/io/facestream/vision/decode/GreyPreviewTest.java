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
    void aJpegDecodesAtAQuarterOfItsSizeInGrey() throws Exception {
        byte[] jpeg = Fixtures.jpeg(new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB));
        Mat quarter = decoder.decodeGreyPreview(jpeg, 4);
        Mat eighth = decoder.decodeGreyPreview(jpeg, 8);
        try {
            assertEquals(CvType.CV_8UC1, quarter.type());
            assertEquals(160, quarter.cols());
            assertEquals(120, quarter.rows());
            assertEquals(80, eighth.cols());
        } finally {
            quarter.release();
            eighth.release();
        }
    }

    @Test
    void otherFormatsDecodeInFullSize() throws Exception {
        Mat grey = decoder.decodeGreyPreview(Fixtures.referenceRgbPng(), 4);
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
                () -> new ImageDecoder(new DecodeLimits(5_000_000, 1 << 20)).decodeGreyPreview(big, 8));
        assertEquals(ImageDecodeException.Reason.TOO_MANY_PIXELS, e.reason());
        byte[] jpeg = Fixtures.jpeg(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB));
        byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertEquals(ImageDecodeException.Reason.TRUNCATED,
                assertThrows(ImageDecodeException.class, () -> decoder.decodeGreyPreview(half, 4)).reason());
        assertThrows(IllegalArgumentException.class, () -> decoder.decodeGreyPreview(jpeg, 3));
    }
}
