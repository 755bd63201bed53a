package io.facestream.services.common.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Back-off after failed logins ({@code facestream.security.login-throttle.*}, see {@link LoginThrottle}).
 *
 * @param freeFailuresPerAddress failed logins from one client address before it must wait
 * @param freeFailuresPerAccount failed logins for one user name (from any address) before it must wait; higher
 *     than per address, so a guesser on one address cannot lock the owner out from another
 * @param initialBackoff the first wait; each further failure doubles it
 * @param maxBackoff the longest wait
 * @param forgetAfter failures older than this (with none since) are forgotten
 * @param maxTrackedKeys addresses (and, separately, user names) tracked at most; the least recently failing are
 *     dropped first, so memory stays bounded whatever a client sends
 */
@ConfigurationProperties(LoginThrottleConfig.PREFIX)
public record LoginThrottleConfig(
        @Bindable(defaultValue = "5") @Min(1) int freeFailuresPerAddress,
        @Bindable(defaultValue = "20") @Min(1) int freeFailuresPerAccount,
        @Bindable(defaultValue = "1s") @NotNull Duration initialBackoff,
        @Bindable(defaultValue = "15m") @NotNull Duration maxBackoff,
        @Bindable(defaultValue = "15m") @NotNull Duration forgetAfter,
        @Bindable(defaultValue = "10000") @Min(1) int maxTrackedKeys) {

    public static final String PREFIX = "facestream.security.login-throttle";

    public LoginThrottleConfig {
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("login-throttle: need 0 < initial-backoff <= max-backoff, got "
                    + initialBackoff + " and " + maxBackoff);
        }
    }

    /** The defaults above, for code that builds a throttle without a context (tests). */
    public static LoginThrottleConfig defaults() {
        return new LoginThrottleConfig(5, 20, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(15),
                10_000);
    }
}
