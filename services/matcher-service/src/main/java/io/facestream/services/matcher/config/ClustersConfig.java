package io.facestream.services.matcher.config;

import io.facestream.clusters.density.ClusterConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The clustering of UNKNOWN faces (README, "Unknown clusters").
 *
 * @param maxDistance cosine distance within which two faces are neighbours: 0.40, calibrated on faces-dev (README,
 *     "Unknown clusters"; Immich's 0.5 let one cluster mix two people there)
 * @param minFaces faces within reach, the face itself included, that make a face a core
 * @param maxFaces faces held in all, crops included (about 25 KB each); the oldest go beyond it
 * @param retention faces older than this (before the newest) go; the matches topic keeps 7 days
 * @param representatives best faces each cluster shows and publishes with their crops
 * @param replayRecords at start-up, records per partition of embeddings and matches read back to rebuild the
 *     clusters (their ids and names come from the compacted clusters topic)
 */
@ConfigurationProperties(ClustersConfig.PREFIX)
public record ClustersConfig(
        @Bindable(defaultValue = "0.40") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1.5") double maxDistance,
        @Bindable(defaultValue = "3") @Min(2) @Max(100) int minFaces,
        @Bindable(defaultValue = "3000") @Min(10) @Max(ClusterConfig.MAX_FACES_LIMIT) int maxFaces,
        @Bindable(defaultValue = "7d") @NotNull Duration retention,
        @Bindable(defaultValue = "3") @Min(1) @Max(16) int representatives,
        @Bindable(defaultValue = "5000") @Min(0) @Max(1_000_000) int replayRecords) {

    public static final String PREFIX = "facestream.clusters";

    public ClusterConfig clusterConfig() {
        return new ClusterConfig(maxDistance, minFaces, maxFaces, retention, representatives);
    }
}
