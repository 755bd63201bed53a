package io.facestream.inference.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class SharedDataTest {

    @Test
    void missingDataSkipsLocallyAndFailsOnCi() {
        TestAbortedException skip = assertThrows(TestAbortedException.class, () -> SharedData.missing("x", false));
        assertTrue(skip.getMessage().contains("x"));
        assertThrows(AssertionFailedError.class, () -> SharedData.missing("x", true));
    }

    @Test
    void requireOfAMissingEntryNeverReturns() {
        Class<? extends Throwable> expected = SharedData.isCi() ? AssertionFailedError.class
                : TestAbortedException.class;
        assertThrows(expected, () -> SharedData.require("no/such/entry-" + System.nanoTime()));
    }
}
