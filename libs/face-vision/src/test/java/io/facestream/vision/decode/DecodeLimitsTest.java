package io.facestream.vision.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DecodeLimitsTest {

    @Test
    void defaultsAreFortyMegapixelsAndFiftyMebibytes() {
        DecodeLimits limits = DecodeLimits.defaults();
        assertEquals(40_000_000L, limits.maxPixels());
        assertEquals(52_428_800L, limits.maxBytes());
    }

    @Test
    void rejectsNonPositiveLimits() {
        assertThrows(IllegalArgumentException.class, () -> new DecodeLimits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DecodeLimits(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new DecodeLimits(-5, 1));
        assertThrows(IllegalArgumentException.class, () -> new DecodeLimits(1, -5));
    }

    @Test
    void rejectsByteLimitNoArrayCanHold() {
        assertThrows(IllegalArgumentException.class, () -> new DecodeLimits(1, Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE - 8L, new DecodeLimits(1, Integer.MAX_VALUE - 8L).maxBytes());
    }
}
