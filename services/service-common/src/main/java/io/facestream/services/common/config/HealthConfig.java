package io.facestream.services.common.config;

import io.facestream.pipeline.stage.ProcessingRetries;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * How the service judges and treats its long-running threads.
 *
 * @param stuckAfter a stage, follower or Streams client that has not finished a loop iteration for this long is
 *     reported DOWN by {@code /health} (they iterate at least every second while idle)
 * @param processingAttempts tries of a batch whose processing throws before the stage dead-letters the record that
 *     throws ({@link ProcessingRetries})
 * @param processingBackoff wait after the first failed try, doubling after each further one
 */
@ConfigurationProperties(HealthConfig.PREFIX)
public record HealthConfig(
        @Bindable(defaultValue = "60s") @NotNull Duration stuckAfter,
        @Bindable(defaultValue = "3") @Min(1) int processingAttempts,
        @Bindable(defaultValue = "1s") @NotNull Duration processingBackoff) {

    public static final String PREFIX = "facestream.health";

    public HealthConfig {
        if (stuckAfter != null && (stuckAfter.isNegative() || stuckAfter.isZero())) {
            throw new IllegalArgumentException(PREFIX + ".stuck-after must be positive, was " + stuckAfter);
        }
        if (processingBackoff != null && processingBackoff.isNegative()) {
            throw new IllegalArgumentException(PREFIX + ".processing-backoff must not be negative");
        }
    }

    /** The stages' retry rule. */
    public ProcessingRetries processingRetries() {
        return new ProcessingRetries(processingAttempts, processingBackoff);
    }
}
