package io.facestream.services.common.config;

import io.facestream.core.quality.QualityGate;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
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
 * @param enrollmentMinFaceSize enrollment gate (enrollment, gallery additions, training labels): smallest face
 *     box side, pixels
 * @param enrollmentMinSharpness enrollment gate: smallest variance of the Laplacian of the aligned crop
 * @param enrollmentMinFrontality enrollment gate: smallest frontality, in [0, 1]
 * @param enrollmentMinScore enrollment gate: smallest overall quality score, in [0, 1]
 */
@ConfigurationProperties(PipelineConfig.PREFIX)
public record PipelineConfig(
        @NotBlank String bootstrapServers,
        @Bindable(defaultValue = "4") @Min(1) int partitions,
        @Bindable(defaultValue = "models") @NotBlank String modelDir,
        @Bindable(defaultValue = "instance-1") @NotBlank String instanceId,
        @Bindable(defaultValue = "40000000") @Positive long maxPixels,
        @Bindable(defaultValue = "48") @Min(0) int enrollmentMinFaceSize,
        @Bindable(defaultValue = "40") @DecimalMin("0") double enrollmentMinSharpness,
        @Bindable(defaultValue = "0.2") @DecimalMin("0") @DecimalMax("1") double enrollmentMinFrontality,
        @Bindable(defaultValue = "0.4") @DecimalMin("0") @DecimalMax("1") double enrollmentMinScore) {

    public static final String PREFIX = "facestream";

    /** The settings every Kafka client of this service is built from ({@link KafkaClientSettings}). */
    public KafkaClientSettings kafka() {
        return KafkaClientSettings.of(bootstrapServers);
    }

    /** The stricter of the two quality gates: what may stand for a person in the gallery or the training set. */
    public QualityGate enrollmentGate() {
        return new QualityGate(enrollmentMinFaceSize, enrollmentMinSharpness, enrollmentMinFrontality,
                enrollmentMinScore);
    }
}
