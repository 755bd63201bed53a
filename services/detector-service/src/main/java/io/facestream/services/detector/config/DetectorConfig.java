package io.facestream.services.detector.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * @param minFaceSize smallest face to detect, pixels
 * @param maxBatch frames per transaction
 * @param maxWait poll wait before a smaller batch is processed
 */
@ConfigurationProperties(DetectorConfig.PREFIX)
public record DetectorConfig(
        @Bindable(defaultValue = "40") @Min(12) int minFaceSize,
        @Bindable(defaultValue = "8") @Min(1) int maxBatch,
        @Bindable(defaultValue = "100ms") Duration maxWait) {

    public static final String PREFIX = "facestream.detector";
}
