package io.facestream.services.common.config;

import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * What every service shares: where Kafka is, how the camera-keyed topics are partitioned, where the models
 * are, and this instance's name.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param partitions partitions of the camera-keyed topics
 * @param modelDir directory of the verified model files
 * @param instanceId unique per running instance (transactional ids derive from it)
 * @param maxPixels images with more pixels are rejected before decoding
 */
@ConfigurationProperties(PipelineConfig.PREFIX)
public record PipelineConfig(
        @NotBlank String bootstrapServers,
        @Bindable(defaultValue = "4") @Min(1) int partitions,
        @Bindable(defaultValue = "models") @NotBlank String modelDir,
        @Bindable(defaultValue = "instance-1") @NotBlank String instanceId,
        @Bindable(defaultValue = "40000000") @Positive long maxPixels) {

    public static final String PREFIX = "facestream";

    /** The settings every Kafka client of this service is built from ({@link KafkaClientSettings}). */
    public KafkaClientSettings kafka() {
        return KafkaClientSettings.of(bootstrapServers);
    }
}
