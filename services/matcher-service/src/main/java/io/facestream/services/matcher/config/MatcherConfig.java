package io.facestream.services.matcher.config;

import io.facestream.matching.topology.MatchBounds;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.Map;

/**
 * @param threshold cosine at or above which a face is KNOWN. 0.50 is an identification operating point: one
 *     face is compared with every enrolled person, so false accepts add up; on shared/faces-dev 0.04 % of
 *     impostor pairs and 97.8 % of genuine pairs reach it (README, "Match threshold")
 * @param cameraThresholds per-camera overrides, camera id → cosine
 * @param topK candidates per match, at most {@link MatchBounds#MAX_TOP_K} (a match must stay small)
 * @param stateDir Kafka Streams state directory
 * @param applicationId Kafka Streams application id (consumer group of the matcher instances)
 * @param recentMatches matches kept in memory for {@code GET /api/v1/matches}
 */
@ConfigurationProperties(MatcherConfig.PREFIX)
public record MatcherConfig(
        @Bindable(defaultValue = "0.50") @DecimalMin("-1") @DecimalMax("1") double threshold,
        @Bindable(defaultValue = "") Map<String, Double> cameraThresholds,
        @Bindable(defaultValue = "5") @Min(1) @Max(MatchBounds.MAX_TOP_K) int topK,
        @Bindable(defaultValue = ".cache/matcher-state") @NotBlank String stateDir,
        @Bindable(defaultValue = "facestream-matcher") @NotBlank String applicationId,
        @Bindable(defaultValue = "500") @Min(1) int recentMatches) {

    public static final String PREFIX = "facestream.matcher";

    public MatcherConfig {
        cameraThresholds = cameraThresholds == null ? Map.of() : Map.copyOf(cameraThresholds);
    }
}
