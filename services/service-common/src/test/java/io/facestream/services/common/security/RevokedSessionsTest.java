package io.facestream.services.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.security.token.Claims;
import io.micronaut.security.token.MapClaims;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevokedSessionsTest {

    private final LoginThrottleTest.ManualClock clock = new LoginThrottleTest.ManualClock();
    private final RevokedSessions<Object> sessions = new RevokedSessions<>(3, clock);

    private Claims token(String jti, Instant issued) {
        Map<String, Object> m = new HashMap<>();
        if (jti != null) {
            m.put(Claims.TOKEN_ID, jti);
        }
        m.put(Claims.ISSUED_AT, issued.getEpochSecond());
        return new MapClaims(m);
    }

    @Test
    void aRevokedTokenIsRefusedUntilItExpiresAndATokenWithoutIdAlways() {
        Instant issued = clock.now;
        assertTrue(sessions.validate(token("a", issued), null));
        sessions.revoke("a", clock.now.plusSeconds(3600));
        assertFalse(sessions.validate(token("a", issued), null));
        assertTrue(sessions.validate(token("b", issued), null));
        assertFalse(sessions.validate(token(null, issued), null), "no id: cannot be revoked, so not accepted");
        clock.now = clock.now.plusSeconds(3601);
        sessions.revoke("c", clock.now.plusSeconds(10));
        assertEquals(1, sessions.size(), "expired revocations are dropped");
    }

    @Test
    void overCapacityEveryEarlierSessionEnds() {
        Instant early = clock.now.minusSeconds(5);
        for (String id : new String[] {"1", "2", "3"}) {
            sessions.revoke(id, clock.now.plusSeconds(3600));
        }
        assertTrue(sessions.validate(token("live", early), null));
        sessions.revoke("4", clock.now.plusSeconds(3600)); // the fourth does not fit in 3
        assertEquals(1, sessions.size());
        assertFalse(sessions.validate(token("live", early), null), "issued before the overflow");
        assertFalse(sessions.validate(token("4", clock.now.plusSeconds(1)), null));
        assertTrue(sessions.validate(token("new", clock.now.plusSeconds(1)), null), "issued after it");
    }
}
