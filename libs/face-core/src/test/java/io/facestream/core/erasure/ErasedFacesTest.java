package io.facestream.core.erasure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErasedFacesTest {

    private static final long DAY = Duration.ofDays(1).toMillis();

    @Test
    void aMarkedFaceIsKnownAndADuplicateMarkChangesNothing() {
        ErasedFaces erased = new ErasedFaces(10, Duration.ofDays(8));
        assertTrue(erased.mark("f1", 1_000));
        assertFalse(erased.mark("f1", 1_000), "the same marker again (another instance, a replay)");
        assertFalse(erased.mark("f1", 2_000), "a later duplicate keeps the first time");
        assertTrue(erased.contains("f1"));
        assertFalse(erased.contains("f2"));
        assertFalse(erased.contains(null));
        assertEquals(1, erased.size());
    }

    @Test
    void beyondTheCapacityTheEldestMarkIsForgottenAndCounted() {
        ErasedFaces erased = new ErasedFaces(3, Duration.ofDays(8));
        for (int i = 1; i <= 5; i++) {
            erased.mark("f" + i, i);
        }
        assertEquals(3, erased.size());
        assertFalse(erased.contains("f1"));
        assertFalse(erased.contains("f2"));
        assertTrue(erased.contains("f3"));
        assertTrue(erased.contains("f5"));
        assertEquals(2, erased.forgotten());
    }

    @Test
    void aMarkOlderThanKeepForBeforeTheNewestIsDroppedButNotCountedAsForgotten() {
        ErasedFaces erased = new ErasedFaces(100, Duration.ofDays(8));
        erased.mark("old", 0);
        erased.mark("mid", 5 * DAY);
        assertTrue(erased.contains("old"), "8 days not yet passed");
        erased.mark("new", 8 * DAY + 1);
        assertFalse(erased.contains("old"), "its faces aged out of every topic and index");
        assertTrue(erased.contains("mid"));
        assertEquals(0, erased.forgotten());
        assertFalse(erased.mark("stale", 0), "a marker read long after its faces expired is not held");
    }

    @Test
    void refusesABoundThatHoldsNothing() {
        assertThrows(IllegalArgumentException.class, () -> new ErasedFaces(0, Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> new ErasedFaces(1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ErasedFaces(1, Duration.ofDays(1)).mark(null, 0));
    }
}
