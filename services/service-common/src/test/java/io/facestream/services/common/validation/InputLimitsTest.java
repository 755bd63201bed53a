package io.facestream.services.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class InputLimitsTest {

    @Test
    void namesAreBoundedAndFreeOfControlAndBidiOverrideCharacters() {
        assertEquals(Optional.empty(), InputLimits.nameProblem("name", "Zoë O'Brien-Łukasiewicz 李小龍"));
        assertEquals(Optional.empty(), InputLimits.nameProblem("name", "x".repeat(200)));
        assertTrue(InputLimits.nameProblem("name", "x".repeat(201)).orElseThrow().contains("the limit is 200"));
        // 200 emoji are 400 UTF-16 units but 200 characters
        assertEquals(Optional.empty(), InputLimits.nameProblem("name", "\uD83D\uDE00".repeat(200)));
        assertEquals(Optional.of("'name' is required"), InputLimits.nameProblem("name", "  "));
        for (int c : new int[] {0x0, 0x9, 0x1B, 0x7F, 0x85, 0x202A, 0x202E, 0x2066, 0x2069}) {
            String problem = InputLimits.nameProblem("name", "Eve" + Character.toString(c) + "x").orElse("");
            assertTrue(problem.contains(String.format("U+%04X", c)), Integer.toHexString(c) + ": " + problem);
        }
        assertEquals(Optional.empty(), InputLimits.nameProblem("name", "Eve\u200Dx"), "a joiner is fine");
    }

    @Test
    void cameraIdsAreOneTo64SafeAsciiCharacters() {
        for (String ok : new String[] {"door", "a", "lobby.cam-2_B", "x".repeat(64)}) {
            assertEquals(Optional.empty(), InputLimits.cameraIdProblem(ok), ok);
        }
        for (String bad : new String[] {"", "x".repeat(65), "door/../x", "two words", "café", "a\nb"}) {
            assertFalse(InputLimits.cameraIdProblem(bad).isEmpty(), bad);
        }
        assertFalse(InputLimits.cameraIdProblem(null).isEmpty());
        assertTrue(InputLimits.cameraIdProblem("a\nb").orElseThrow().contains("a\\u000ab"), "shown escaped");
    }

    @Test
    void onlyJpegPngAndUndeclaredBytesAreImages() {
        assertTrue(ImageTypes.accepted("image/jpeg"));
        assertTrue(ImageTypes.accepted("IMAGE/PNG; q=1"));
        assertTrue(ImageTypes.accepted("application/octet-stream"));
        assertFalse(ImageTypes.accepted("image/gif"));
        assertFalse(ImageTypes.accepted(null));
        assertTrue(ImageTypes.refusal("image/gif").contains("image/gif"));
    }
}
