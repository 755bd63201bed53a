package io.facestream.services.common.security;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Exponential back-off after failed logins, per client address and per user name. After
 * {@code freeFailures} failures a key must wait {@code initialBackoff}, doubled by every further failure up to
 * {@code maxBackoff}; attempts while it waits are refused without checking the password (they neither cost a
 * key derivation nor count). A success clears the address and the user name. The user-name limit is higher than
 * the address limit, so one address guessing a password is stopped long before the owner is locked out from
 * elsewhere. Each map holds at most {@code maxTrackedKeys} keys, least recently failing dropped first.
 */
@Singleton
public class LoginThrottle {

    /** What a key has done lately. */
    private static final class Failures {
        int count;
        Instant last;
        Instant blockedUntil = Instant.MIN;
    }

    private final LoginThrottleConfig config;
    private final Clock clock;
    private final Map<String, Failures> byAddress;
    private final Map<String, Failures> byAccount;

    @Inject
    public LoginThrottle(LoginThrottleConfig config) {
        this(config, Clock.systemUTC());
    }

    LoginThrottle(LoginThrottleConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.byAddress = lru(config.maxTrackedKeys());
        this.byAccount = lru(config.maxTrackedKeys());
    }

    /** A failure's counts, for the log line. */
    public record Counts(int fromAddress, int forAccount) {
    }

    /** How long {@code address} or {@code account} must still wait; empty when it may try now. */
    public synchronized Optional<Duration> retryAfter(String address, String account) {
        Instant now = clock.instant();
        Instant until = max(blockedUntil(byAddress, address, now), blockedUntil(byAccount, account, now));
        return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    /** Counts a failed login. */
    public synchronized Counts failed(String address, String account) {
        Instant now = clock.instant();
        int a = fail(byAddress, address, config.freeFailuresPerAddress(), now);
        int u = fail(byAccount, account, config.freeFailuresPerAccount(), now);
        return new Counts(a, u);
    }

    /** A correct login: the address and the account start afresh. */
    public synchronized void succeeded(String address, String account) {
        byAddress.remove(address);
        byAccount.remove(account);
    }

    private Instant blockedUntil(Map<String, Failures> map, String key, Instant now) {
        Failures f = map.get(key);
        if (f == null) {
            return Instant.MIN;
        }
        if (Duration.between(f.last, now).compareTo(config.forgetAfter()) > 0 && !f.blockedUntil.isAfter(now)) {
            map.remove(key);
            return Instant.MIN;
        }
        return f.blockedUntil;
    }

    private int fail(Map<String, Failures> map, String key, int free, Instant now) {
        Failures f = map.remove(key); // re-inserted below: the most recently failing key is the last one dropped
        if (f == null || (Duration.between(f.last, now).compareTo(config.forgetAfter()) > 0
                && !f.blockedUntil.isAfter(now))) {
            f = new Failures();
        }
        f.count++;
        f.last = now;
        if (f.count >= free) {
            int doublings = Math.min(f.count - free, 30); // 2^30 s is far beyond any max-backoff
            Duration wait = config.initialBackoff().multipliedBy(1L << doublings);
            if (wait.compareTo(config.maxBackoff()) > 0) {
                wait = config.maxBackoff();
            }
            f.blockedUntil = now.plus(wait);
        }
        map.put(key, f);
        return f.count;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Map<String, Failures> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > capacity;
            }
        };
    }
}
