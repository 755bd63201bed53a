package io.facestream.vision.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.vision.OpenCvLoader;
import io.facestream.vision.motion.MotionDecision.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

class MotionGatesTest {

    @BeforeAll
    static void load() {
        OpenCvLoader.ensureLoaded();
    }

    @Test
    void eachCameraHasItsOwnSettingsAndTheLeastRecentlySeenIsForgotten() {
        try (MotionGates gates = new MotionGates(2, id -> MotionConfig.DEFAULT.withEnabled(!id.equals("lobby")))) {
            Mat frame = MotionGateTest.scene(-1);
            assertEquals(Reason.GATING_OFF, gates.decide("lobby", frame, 0).reason());
            assertEquals(Reason.FIRST_FRAME, gates.decide("door", frame, 0).reason());
            assertEquals(Reason.NO_MOTION, gates.decide("door", frame, 200).reason());
            assertEquals(Reason.FIRST_FRAME, gates.decide("yard", frame, 0).reason());
            assertEquals(2, gates.size(), "at most two cameras");
            // lobby was seen least recently and is gone; door stays and still knows its background.
            assertEquals(Reason.NO_MOTION, gates.decide("door", frame, 400).reason());
            // A third camera pushes out yard (now the least recently seen), which starts over when it returns.
            assertEquals(Reason.FIRST_FRAME, gates.decide("gate", frame, 0).reason());
            assertEquals(Reason.FIRST_FRAME, gates.decide("yard", frame, 200).reason());
            assertEquals(2, gates.size());
            frame.release();
        }
    }
}
