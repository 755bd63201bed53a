package io.facestream.services.matcher.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.Map;

/**
 * @param threshold cosine at or above which a face is KNOWN. 0.50 is an identification operating point: one
 *     face is compared with every enrolled person, so false accepts add up; on shared/faces-dev 0.04 % of
 *     impostor pairs and 97.8 % of genuine pairs reach it (README, "Match threshold")
 * @param cameraThresholds per-camera overrides, camera id → cosine
 * @param topK candidates per match
 * @param stateDir Kafka Streams state directory
 * @param applicationId Kafka Streams application id (consumer group of the matcher instances)
 * @param recentMatches matches kept in memory for {@code GET /api/v1/matches}
 * @param recentSightings sightings (latest state each) kept in memory for {@code GET /api/v1/sightings}; the
 *     least recently updated one is dropped beyond it
 * @param sightingFaces face ids of recent matches kept by track id, in all, for {@code GET
 *     /api/v1/sightings/{id}/faces} and labelling a sighting (about 100 bytes each)
 * @param facesPerSighting of those, at most this many per sighting (a longer one keeps its latest faces), so
 *     one long visit cannot push every other sighting's faces out
 */
@ConfigurationProperties(MatcherConfig.PREFIX)
public record MatcherConfig(
        @Bindable(defaultValue = "0.50") @DecimalMin("-1") @DecimalMax("1") double threshold,
        @Bindable(defaultValue = "") Map<String, Double> cameraThresholds,
        @Bindable(defaultValue = "5") @Min(1) int topK,
        @Bindable(defaultValue = ".cache/matcher-state") @NotBlank String stateDir,
        @Bindable(defaultValue = "facestream-matcher") @NotBlank String applicationId,
        @Bindable(defaultValue = "500") @Min(1) int recentMatches,
        @Bindable(defaultValue = "5000") @Min(1) int recentSightings,
        @Bindable(defaultValue = "50000") @Min(1) int sightingFaces,
        @Bindable(defaultValue = "1000") @Min(1) int facesPerSighting) {

    public static final String PREFIX = "facestream.matcher";

    public MatcherConfig {
        cameraThresholds = cameraThresholds == null ? Map.of() : Map.copyOf(cameraThresholds);
        if (facesPerSighting > sightingFaces) {
            throw new IllegalArgumentException(PREFIX + ".faces-per-sighting (" + facesPerSighting
                    + ") must not exceed " + PREFIX + ".sighting-faces (" + sightingFaces + ")");
        }
    }
}
