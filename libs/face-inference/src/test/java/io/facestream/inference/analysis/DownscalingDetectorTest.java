package io.facestream.inference.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.Point2;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.vision.OpenCvLoader;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecoder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * A faces-dev portrait pasted into a 3840×2160 frame: the face found on a 1280-pixel copy, mapped back, is where
 * MTCNN finds it on the full frame, and its crop is aligned from the full-resolution pixels.
 */
class DownscalingDetectorTest {

    private static final int PASTE_X = 1800;
    private static final int PASTE_Y = 600;

    private final MtcnnDetector detector = Detection.detector(MtcnnConfig.DEFAULT.withMinFaceSize(40));

    @Test
    void aFaceFoundOnTheDownscaledCopyMapsBackToWhereTheFullFrameHasIt() throws Exception {
        Mat frame = uhdFrameWith("faces-dev/human_samples/stock_emotions_a/stock-emotions-a-1.jpg");
        try {
            long t0 = System.nanoTime();
            List<DetectedFace> full = detector.detect(frame);
            long t1 = System.nanoTime();
            List<DetectedFace> down = new DownscalingDetector(detector, 1280).detect(frame);
            long t2 = System.nanoTime();
            System.out.printf("3840x2160, min face 40: MTCNN on the full frame %d ms, on a 1280x720 copy %d ms%n",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);

            assertFalse(full.isEmpty(), "the full frame has the face");
            assertEquals(full.size(), down.size(), "same faces: " + full + " vs " + down);
            DetectedFace want = full.get(0);
            DetectedFace got = down.get(0);
            assertTrue(got.box().iou(want.box()) > 0.85, got.box() + " vs " + want.box());
            assertTrue(got.box().x1() >= PASTE_X && got.box().y1() >= PASTE_Y, "inside the pasted photo: " + got.box());
            double tolerance = 0.1 * want.landmarks().interOcularDistance();
            for (int i = 0; i < Landmarks5.COUNT; i++) {
                double off = got.landmarks().get(i).distanceTo(want.landmarks().get(i));
                assertTrue(off < tolerance, "landmark " + i + " is " + off + " px off (tolerance " + tolerance + ")");
            }
        } finally {
            frame.release();
        }
    }

    @Test
    void cropsAreAlignedFromTheFullResolutionFrame() throws Exception {
        Mat frame = uhdFrameWith("faces-dev/human_samples/stock_emotions_a/stock-emotions-a-1.jpg");
        try {
            List<AlignedFace> aligned = new DownscalingDetector(detector, 1280).detectAndAlign(frame);
            assertFalse(aligned.isEmpty());
            for (AlignedFace a : aligned) {
                assertEquals(112, a.crop().cols());
                assertEquals(112, a.crop().rows());
                // The fit maps the full-frame landmarks onto the template: its scale shrinks a ~1000-px
                // portrait's face, which it would not do from a copy three times smaller.
                Point2 eye = a.face().landmarks().get(0);
                assertTrue(eye.x() > PASTE_X && eye.y() > PASTE_Y, "full-frame coordinates: " + eye);
                a.crop().release();
            }
        } finally {
            frame.release();
        }
    }

    @Test
    void pointsMapBackThroughPixelCentres() {
        DetectedFace small = new DetectedFace(new BoundingBox(10, 20, 30, 40), 0.9,
                new Landmarks5(List.of(new Point2(-0.5, -0.5), new Point2(0, 0), new Point2(1, 1),
                        new Point2(12.5, 7.5), new Point2(20, 30))));
        DetectedFace big = DownscalingDetector.scaledUp(small, 3, 2);
        assertEquals(new BoundingBox(31, 40.5, 91, 80.5), big.box());
        assertEquals(new Point2(-0.5, -0.5), big.landmarks().get(0), "the image's corner stays the corner");
        assertEquals(new Point2(1, 0.5), big.landmarks().get(1), "pixel 0's centre is the centre of 3 × 2 pixels");
        assertEquals(new Point2(4, 2.5), big.landmarks().get(2));
        assertEquals(new Point2(38.5, 15.5), big.landmarks().get(3));
        assertEquals(0.9, big.score());
    }

    @Test
    void aFrameWithinTheLimitIsDetectedAsItIs() throws Exception {
        try (DecodedImage photo = decoder().read(
                SharedData.require("faces-dev/human_samples/stock_emotions_a/stock-emotions-a-1.jpg"))) {
            assertEquals(detector.detect(photo.rgb()), new DownscalingDetector(detector, 1280).detect(photo.rgb()));
        }
    }

    /** The photo at (PASTE_X, PASTE_Y) on a 3840×2160 frame of seeded mid-grey noise. */
    private static Mat uhdFrameWith(String photoPath) throws Exception {
        OpenCvLoader.ensureLoaded();
        Mat frame = new Mat(2160, 3840, CvType.CV_8UC3);
        Core.setRNGSeed(42);
        Core.randn(frame, 128, 20);
        try (DecodedImage photo = decoder().read(SharedData.require(photoPath))) {
            Mat target = frame.submat(new Rect(PASTE_X, PASTE_Y, photo.width(), photo.height()));
            photo.rgb().copyTo(target);
            target.release();
        }
        return frame;
    }

    private static ImageDecoder decoder() {
        return new ImageDecoder(DecodeLimits.defaults());
    }
}
