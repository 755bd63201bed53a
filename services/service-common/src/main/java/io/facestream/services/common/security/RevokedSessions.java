package io.facestream.services.common.security;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.event.LogoutEvent;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/**
 * Logout ends the session on the server, not only in the browser: the signed cookie would otherwise stay valid
 * until it expires, whoever kept a copy. On {@code /logout} the session's token id ({@code jti}, made by {@link
 * SessionIds}) is remembered until the token's own expiry, and a token with a remembered id — or with no id at
 * all — is refused (401). At most {@code max-revoked-sessions} ids are kept: when that many are live, every
 * session issued until then is ended at once (everybody logs in again) rather than growing without bound.
 * Revocations live in this process: a restart forgets them (in the embedded modes it also changes the signing
 * key, ending every session anyway).
 */
@Singleton
public class RevokedSessions<T> implements GenericJwtClaimsValidator<T>, ApplicationEventListener<LogoutEvent> {

    private final int capacity;
    private final Clock clock;
    private final Map<String, Instant> revoked = new HashMap<>(); // token id -> its expiry
    /** Tokens issued at or before this second are refused (set when the list overflowed). */
    private Instant issuedNotAfter = Instant.MIN;

    @Inject
    public RevokedSessions(HttpSecurityConfig config) {
        this(config.maxRevokedSessions(), Clock.systemUTC());
    }

    RevokedSessions(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public synchronized boolean validate(@NonNull Claims claims, @Nullable T request) {
        Object jti = claims.get(Claims.TOKEN_ID);
        if (jti == null || revoked.containsKey(jti.toString())) {
            return false;
        }
        Instant issued = instant(claims.get(Claims.ISSUED_AT));
        return issued == null || issued.isAfter(issuedNotAfter);
    }

    @Override
    public void onApplicationEvent(LogoutEvent event) {
        if (event.getSource() instanceof Authentication authentication) {
            Object jti = authentication.getAttributes().get(Claims.TOKEN_ID);
            if (jti != null) {
                Instant expiry = instant(authentication.getAttributes().get(Claims.EXPIRATION_TIME));
                revoke(jti.toString(), expiry == null ? clock.instant().plusSeconds(86_400) : expiry);
            }
        }
    }

    /** Refuses the token {@code jti} until {@code expiry}, when it would be refused anyway. */
    synchronized void revoke(String jti, Instant expiry) {
        Instant now = clock.instant();
        revoked.values().removeIf(e -> !e.isAfter(now));
        if (revoked.size() >= capacity) {
            revoked.clear();
            issuedNotAfter = now; // over capacity: end every session issued so far instead of forgetting one
        }
        revoked.put(jti, expiry);
    }

    synchronized int size() {
        return revoked.size();
    }

    /** A JWT time claim: seconds since the epoch, or a {@link Date} as Nimbus returns it. */
    private static Instant instant(Object claim) {
        if (claim instanceof Date d) {
            return d.toInstant();
        }
        if (claim instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        if (claim instanceof Instant i) {
            return i;
        }
        return null;
    }
}
