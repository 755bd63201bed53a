package io.facestream.pipeline.cameras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.schema.CameraSetting;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CameraChangeTest {

    private static final Instant AT = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void aThresholdOutsideZeroToOneIsRefusedWithTheReason() {
        for (double bad : new double[] {-0.01, 1.0001, Double.NaN, Double.POSITIVE_INFINITY, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CameraChange(bad, null));
            assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        }
        assertEquals(0.0, new CameraChange(0.0, null).threshold());
        assertEquals(1.0, new CameraChange(1.0, null).threshold());
    }

    @Test
    void anEmptyChangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CameraChange(null, null));
    }

    @Test
    void aFirstChangeStartsFromTheDefaults() {
        CameraSetting s = new CameraChange(null, false).applyTo("door", Optional.empty(), "op", AT);
        assertEquals("door", s.getCameraId());
        assertNull(s.getThreshold(), "no threshold of its own: the matcher's configured one");
        assertEquals(false, s.getEnabled());
        assertNull(s.getMotionEnabled());
        assertEquals("op", s.getUpdatedBy());
        assertEquals(AT, s.getUpdatedAt());
    }

    @Test
    void aFieldLeftOutKeepsItsEarlierValue() {
        CameraSetting before = new CameraChange(0.7, false).applyTo("door", Optional.empty(), "a", AT);
        CameraSetting enabledAgain = new CameraChange(null, true).applyTo("door", Optional.of(before), "b",
                AT.plusSeconds(1));
        assertEquals(0.7, enabledAgain.getThreshold());
        assertEquals(true, enabledAgain.getEnabled());
        assertEquals("b", enabledAgain.getUpdatedBy());
        CameraSetting retuned = new CameraChange(0.55, null).applyTo("door", Optional.of(enabledAgain), "c", AT);
        assertEquals(0.55, retuned.getThreshold());
        assertEquals(true, retuned.getEnabled());
    }
}
