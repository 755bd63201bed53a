package io.facestream.services.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    // 3 free failures per address, 6 per account, 1 s doubling up to 8 s, forgotten after 60 s, 4 keys
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottleConfig(3, 6, Duration.ofSeconds(1),
            Duration.ofSeconds(8), Duration.ofSeconds(60), 4), clock);

    @Test
    void theWaitStartsAfterTheFreeFailuresAndDoublesUpToTheMaximum() {
        throttle.failed("10.0.0.1", "op");
        throttle.failed("10.0.0.1", "op");
        assertEquals(Optional.empty(), throttle.retryAfter("10.0.0.1", "op"));
        throttle.failed("10.0.0.1", "op");
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.retryAfter("10.0.0.1", "op"));
        long[] expected = {2, 4, 8, 8};
        for (long seconds : expected) {
            clock.now = clock.now.plusSeconds(10);
            throttle.failed("10.0.0.1", "other-" + seconds); // the address, not the account, is what waits
            assertEquals(Optional.of(Duration.ofSeconds(seconds)), throttle.retryAfter("10.0.0.1", "x"));
        }
    }

    @Test
    void anotherAddressMayTryWhileOneWaitsAndASuccessClearsBoth() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1", "op");
        }
        assertTrue(throttle.retryAfter("10.0.0.1", "op").isPresent());
        assertEquals(Optional.empty(), throttle.retryAfter("10.0.0.2", "op"), "5 failures < 6 for the account");
        throttle.failed("10.0.0.2", "op"); // the sixth for the account: now it waits everywhere
        assertTrue(throttle.retryAfter("10.0.0.9", "op").isPresent());
        throttle.succeeded("10.0.0.1", "op");
        assertEquals(Optional.empty(), throttle.retryAfter("10.0.0.1", "op"));
    }

    @Test
    void oldFailuresAreForgottenAndMemoryIsBounded() {
        throttle.failed("10.0.0.1", "op");
        throttle.failed("10.0.0.1", "op");
        clock.now = clock.now.plusSeconds(61);
        throttle.failed("10.0.0.1", "op");
        assertEquals(Optional.empty(), throttle.retryAfter("10.0.0.1", "op"), "the first two were forgotten");

        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.7", "u");
        }
        assertTrue(throttle.retryAfter("10.0.0.7", "nobody").isPresent());
        for (int i = 0; i < 4; i++) {
            throttle.failed("10.1.0." + i, "v" + i); // 4 newer keys push the oldest out of a 4-key map
        }
        assertEquals(Optional.empty(), throttle.retryAfter("10.0.0.7", "nobody"));
    }
}
