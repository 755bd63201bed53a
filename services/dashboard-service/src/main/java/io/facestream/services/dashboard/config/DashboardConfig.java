package io.facestream.services.dashboard.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * What the dashboard keeps in memory of the topics it follows (its own bounds; the matcher has its own for its
 * API).
 *
 * @param recentMatches latest matches kept for the review queue (about 2 KB each)
 * @param recentSightings sightings (latest state each) kept for the review queue and labelling; the least
 *     recently updated one is dropped beyond it
 * @param sightingFaces face ids of matches kept by sighting, in all, for labelling a sighting (about 100 bytes each)
 * @param facesPerSighting of those, at most this many per sighting
 */
@ConfigurationProperties(DashboardConfig.PREFIX)
public record DashboardConfig(
        @Bindable(defaultValue = "500") @Min(1) int recentMatches,
        @Bindable(defaultValue = "5000") @Min(1) int recentSightings,
        @Bindable(defaultValue = "50000") @Min(1) int sightingFaces,
        @Bindable(defaultValue = "1000") @Min(1) int facesPerSighting) {

    public static final String PREFIX = "facestream.dashboard";

    public DashboardConfig {
        if (facesPerSighting > sightingFaces) {
            throw new IllegalArgumentException(PREFIX + ".faces-per-sighting (" + facesPerSighting
                    + ") must not exceed " + PREFIX + ".sighting-faces (" + sightingFaces + ")");
        }
    }
}
