package io.facestream.services.embedder.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Micro-batching: up to {@code maxBatch} faces go through the network together; a poll waits at most
 * {@code maxWait} for them, so a lone face is not held back longer than that.
 */
@ConfigurationProperties(EmbedderConfig.PREFIX)
public record EmbedderConfig(
        @Bindable(defaultValue = "32") @Min(1) int maxBatch,
        @Bindable(defaultValue = "50ms") Duration maxWait) {

    public static final String PREFIX = "facestream.embedder";
}
