package io.facestream.vision.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.vision.OpenCvLoader;
import io.facestream.vision.motion.MotionDecision.Reason;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

class MotionGateTest {

    /** 5 fps in camera time. */
    private static final long STEP_MS = 200;
    private static final long T0 = 1_700_000_000_000L;

    @BeforeAll
    static void load() {
        OpenCvLoader.ensureLoaded();
    }

    @Test
    void aStaticSceneHasNoMotionAfterItsFirstFrame() {
        try (MotionGate gate = new MotionGate(MotionConfig.DEFAULT)) {
            assertEquals(Reason.FIRST_FRAME, decide(gate, scene(-1), 0).reason());
            for (int i = 1; i < 10; i++) {
                MotionDecision d = decide(gate, scene(-1), i);
                assertEquals(Reason.NO_MOTION, d.reason(), "frame " + i);
                assertFalse(d.detect());
                assertEquals(0.0, d.changedFraction(), 1e-12);
            }
        }
    }

    @Test
    void sensorNoiseIsNotMotion() {
        try (MotionGate gate = new MotionGate(MotionConfig.DEFAULT)) {
            Random random = new Random(3);
            decide(gate, noisy(scene(-1), random), 0);
            for (int i = 1; i < 10; i++) {
                assertEquals(Reason.NO_MOTION, decide(gate, noisy(scene(-1), random), i).reason(), "frame " + i);
            }
        }
    }

    @Test
    void aMovingSquareIsMotion() {
        try (MotionGate gate = new MotionGate(MotionConfig.DEFAULT)) {
            decide(gate, scene(100), 0);
            MotionDecision d = decide(gate, scene(140), 1);
            assertEquals(Reason.MOTION, d.reason());
            assertTrue(d.detect());
            // 640-px frame shrunk to 160: the 80-px square is 20×20 there; moved by 10 it uncovers and covers
            // about 2 × 10 × 20 px of 160 × 120 (blur spreads the edges a little).
            assertTrue(d.changedFraction() > 0.015 && d.changedFraction() < 0.05, "changed " + d.changedFraction());
        }
    }

    @Test
    void aKeyframeIsDueAfterTheIntervalOfCameraTime() {
        MotionConfig config = MotionConfig.DEFAULT.withKeyframeInterval(Duration.ofSeconds(1));
        try (MotionGate gate = new MotionGate(config)) {
            decide(gate, scene(-1), 0);
            for (int i = 1; i <= 4; i++) {
                assertEquals(Reason.NO_MOTION, decide(gate, scene(-1), i).reason(), "frame " + i + " at " + i * STEP_MS);
            }
            assertEquals(Reason.KEYFRAME, decide(gate, scene(-1), 5).reason(), "1000 ms after the first frame");
            assertEquals(Reason.NO_MOTION, decide(gate, scene(-1), 6).reason(), "the interval restarts");
        }
    }

    @Test
    void aNewStillObjectIsMotionUntilTheBackgroundHasAbsorbedIt() {
        MotionConfig config = MotionConfig.DEFAULT.withKeyframeInterval(Duration.ofSeconds(60));
        try (MotionGate gate = new MotionGate(config)) {
            decide(gate, scene(-1), 0);
            int frame = 1;
            while (decide(gate, scene(200), frame).reason() == Reason.MOTION && frame < 100) {
                frame++;
            }
            // The white square differs from the background by about 176 grey levels; each frame moves the
            // background 5 % of the way, so the difference falls under 25 after ln(25/176) / ln(0.95) = 38 frames.
            assertTrue(frame >= 36 && frame <= 41, "absorbed after " + frame + " frames");
        }
    }

    @Test
    void aNewFrameSizeStartsAFreshBackground() {
        try (MotionGate gate = new MotionGate(MotionConfig.DEFAULT)) {
            decide(gate, scene(-1), 0);
            Mat half = new Mat();
            Imgproc.resize(scene(-1), half, new org.opencv.core.Size(320, 240));
            assertEquals(Reason.FIRST_FRAME, gate.decide(half, T0 + STEP_MS).reason());
            assertEquals(Reason.NO_MOTION, gate.decide(half, T0 + 2 * STEP_MS).reason());
            half.release();
        }
    }

    @Test
    void disabledAlwaysDetects() {
        try (MotionGate gate = new MotionGate(MotionConfig.DEFAULT.withEnabled(false))) {
            for (int i = 0; i < 5; i++) {
                MotionDecision d = decide(gate, scene(-1), i);
                assertEquals(Reason.GATING_OFF, d.reason());
                assertTrue(d.detect());
            }
        }
    }

    @Test
    void greyFramesWork() {
        try (MotionGate gate = new MotionGate(MotionConfig.DEFAULT)) {
            Mat grey = new Mat();
            Imgproc.cvtColor(scene(-1), grey, Imgproc.COLOR_RGB2GRAY);
            assertEquals(Reason.FIRST_FRAME, gate.decide(grey, T0).reason());
            assertEquals(Reason.NO_MOTION, gate.decide(grey, T0 + STEP_MS).reason());
            grey.release();
        }
    }

    private static MotionDecision decide(MotionGate gate, Mat frame, int index) {
        try {
            return gate.decide(frame, T0 + index * STEP_MS);
        } finally {
            frame.release();
        }
    }

    /** A 640×480 grey-blue background with a white 80 px square at x (none for x &lt; 0). */
    static Mat scene(int x) {
        Mat m = new Mat(480, 640, CvType.CV_8UC3, new Scalar(60, 80, 120));
        Imgproc.line(m, new Point(0, 300), new Point(639, 300), new Scalar(200, 200, 200), 3);
        if (x >= 0) {
            Imgproc.rectangle(m, new Point(x, 200), new Point(x + 79, 279), new Scalar(255, 255, 255), -1);
        }
        return m;
    }

    /** The frame with Gaussian noise of σ = 4 grey levels, as a cheap sensor adds. */
    private static Mat noisy(Mat frame, Random random) {
        Mat noise = new Mat(frame.size(), CvType.CV_16SC3);
        Core.randn(noise, 0, 4);
        Mat out = new Mat();
        Mat wide = new Mat();
        frame.convertTo(wide, CvType.CV_16SC3);
        Core.add(wide, noise, wide);
        wide.convertTo(out, CvType.CV_8UC3);
        frame.release();
        noise.release();
        wide.release();
        return out;
    }
}
