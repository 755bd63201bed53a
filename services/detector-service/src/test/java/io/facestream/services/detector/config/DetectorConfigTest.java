package io.facestream.services.detector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.quality.QualityGate;
import io.facestream.vision.motion.MotionConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectorConfigTest {

    private static DetectorConfig config(Map<String, Boolean> motion, Map<String, Duration> keyframes, int blur) {
        return new DetectorConfig(40, 8, Duration.ofMillis(100), true, Duration.ofSeconds(2), 160, blur, 0.05, 25,
                0.002, 1024, 4, motion, keyframes, Duration.ofSeconds(2), 24, 15, 0.05, 0);
    }

    @Test
    void aCameraOverridesOnlyWhatItNames() {
        DetectorConfig c = config(Map.of("lobby", false), Map.of("door", Duration.ofSeconds(1)), 5);
        MotionConfig lobby = c.motion("lobby");
        assertFalse(lobby.enabled());
        assertEquals(Duration.ofSeconds(2), lobby.keyframeInterval());
        MotionConfig door = c.motion("door");
        assertTrue(door.enabled());
        assertEquals(Duration.ofSeconds(1), door.keyframeInterval());
        assertEquals(new MotionConfig(true, 160, 5, 0.05, 25, 0.002, Duration.ofSeconds(2)), c.motion("yard"));
        assertEquals(new QualityGate(24, 15, 0.05, 0), c.settings().embeddingGate());
        assertEquals(Duration.ofSeconds(2), c.settings().maxBacklogAge());
    }

    @Test
    void aBadSettingFailsAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> config(Map.of(), Map.of(), 4), "even blur kernel");
        assertThrows(IllegalArgumentException.class,
                () -> config(Map.of(), Map.of("door", Duration.ZERO), 5), "zero keyframe interval");
    }
}
