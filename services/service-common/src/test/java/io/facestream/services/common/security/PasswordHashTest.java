package io.facestream.services.common.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void newHashesUse600000IterationsAndOld60000IterationHashesStillVerify() {
        String fresh = PasswordHash.hash("correct horse");
        assertTrue(fresh.startsWith("pbkdf2-sha256$600000$"), fresh);
        assertTrue(PasswordHash.matches(fresh, "correct horse"));
        assertFalse(PasswordHash.matches(fresh, "correct horse!"));
        String old = PasswordHash.hash("battery staple", 60_000);
        assertTrue(old.startsWith("pbkdf2-sha256$60000$"), old);
        assertTrue(PasswordHash.matches(old, "battery staple"));
        assertFalse(PasswordHash.matches(old, "battery"));
    }
}
