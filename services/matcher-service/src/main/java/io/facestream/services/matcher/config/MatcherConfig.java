package io.facestream.services.matcher.config;

import io.facestream.matching.topology.MatchBounds;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
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
 * @param recentSightings sightings (latest state each) kept in memory for {@code GET /api/v1/sightings}; the
 *     least recently updated one is dropped beyond it
 * @param sightingFaces face ids of recent matches kept by track id, in all, for {@code GET
 *     /api/v1/sightings/{id}/faces} and labelling a sighting (about 100 bytes each)
 * @param facesPerSighting of those, at most this many per sighting (a longer one keeps its latest faces), so
 *     one long visit cannot push every other sighting's faces out
 * @param trackMinIou least box overlap (IoU with the track's last or velocity-predicted box) for a face to join a
 *     track by position ({@code TrackerConfig})
 * @param trackMinSimilarity least cosine to the track's mean embedding for a face that overlaps it
 * @param trackMinSimilarityWithoutOverlap least cosine for a face that does not overlap the track (a fast move,
 *     a dropped frame, no box)
 * @param trackMaxGap capture-time gap after a track's latest face at which the track ends (a new visit)
 * @param trackMaxOpen open tracks per camera; beyond, the least recently seen ends
 * @param trackThreshold least quality-weighted mean cosine over a track for it to be KNOWN ({@code TrackDecision};
 *     README, "Tracks and sightings")
 * @param trackMinFaces least faces in a track for it to be KNOWN
 * @param trackMinMargin least lead of the best aggregate over the second for KNOWN
 * @param trackQuietClose wall-clock time without a face of a camera after which its tracks are closed; at least
 *     {@code trackMaxGap}, and longer than the longest pause in the delivery of a camera's faces (a detector batch,
 *     a restart)
 */
@ConfigurationProperties(MatcherConfig.PREFIX)
public record MatcherConfig(
        @Bindable(defaultValue = "0.50") @DecimalMin("-1") @DecimalMax("1") double threshold,
        @Bindable(defaultValue = "") Map<String, Double> cameraThresholds,
        @Bindable(defaultValue = "5") @Min(1) @Max(MatchBounds.MAX_TOP_K) int topK,
        @Bindable(defaultValue = ".cache/matcher-state") @NotBlank String stateDir,
        @Bindable(defaultValue = "facestream-matcher") @NotBlank String applicationId,
        @Bindable(defaultValue = "500") @Min(1) int recentMatches,
        @Bindable(defaultValue = "5000") @Min(1) int recentSightings,
        @Bindable(defaultValue = "50000") @Min(1) int sightingFaces,
        @Bindable(defaultValue = "1000") @Min(1) int facesPerSighting,
        @Bindable(defaultValue = "0.2") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double trackMinIou,
        @Bindable(defaultValue = "0.35") @DecimalMin("-1") @DecimalMax("1") double trackMinSimilarity,
        @Bindable(defaultValue = "0.6") @DecimalMin("-1") @DecimalMax("1") double trackMinSimilarityWithoutOverlap,
        @Bindable(defaultValue = "3s") @NotNull Duration trackMaxGap,
        @Bindable(defaultValue = "32") @Min(1) int trackMaxOpen,
        @Bindable(defaultValue = "0.45") @DecimalMin("-1") @DecimalMax("1") double trackThreshold,
        @Bindable(defaultValue = "3") @Min(1) int trackMinFaces,
        @Bindable(defaultValue = "0.10") @DecimalMin("0") @DecimalMax("2") double trackMinMargin,
        @Bindable(defaultValue = "30s") @NotNull Duration trackQuietClose) {

    public static final String PREFIX = "facestream.matcher";

    public MatcherConfig {
        cameraThresholds = cameraThresholds == null ? Map.of() : Map.copyOf(cameraThresholds);
        if (facesPerSighting > sightingFaces) {
            throw new IllegalArgumentException(PREFIX + ".faces-per-sighting (" + facesPerSighting
                    + ") must not exceed " + PREFIX + ".sighting-faces (" + sightingFaces + ")");
        }
    }
}
