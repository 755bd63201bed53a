package io.facestream.services.matcher.config;

import io.facestream.galleryindex.hnsw.HnswSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The matcher's gallery index (README, "Gallery").
 *
 * @param exactBelow per model version, the gallery size below which faces are compared with every sample;
 *     from it on the HNSW graph answers (recall@1 against exact search is measured by {@code bench gallery})
 * @param directory where the per-version indexes are persisted, so a restart replays only newer gallery
 *     records; blank (the default) = on the heap, rebuilt from the topic on every start. The commits hold
 *     offsets of this cluster's gallery topic: a folder must not outlive its broker's data
 * @param commitInterval how often the persisted indexes are committed while gallery records arrive
 * @param maxConnections HNSW graph degree (M)
 * @param beamWidth HNSW build beam
 * @param candidates samples fetched from the graph per face and re-ranked by exact cosine
 * @param maxDeletedFraction deleted share of a segment above which it is merged away in the background
 * @param maxSamples most samples per model version
 * @param ramBufferMb heap for samples not yet written to a segment
 */
@ConfigurationProperties(GalleryIndexConfig.PREFIX)
public record GalleryIndexConfig(
        @Bindable(defaultValue = "20000") @Min(0) int exactBelow,
        @Bindable(defaultValue = "") @NotNull String directory,
        @Bindable(defaultValue = "30s") @NotNull Duration commitInterval,
        @Bindable(defaultValue = "16") @Min(2) @Max(HnswSettings.MAX_CONNECTIONS) int maxConnections,
        @Bindable(defaultValue = "100") @Min(1) @Max(HnswSettings.MAX_BEAM_WIDTH) int beamWidth,
        @Bindable(defaultValue = "100") @Min(1) @Max(HnswSettings.MAX_CANDIDATES) int candidates,
        @Bindable(defaultValue = "0.2") @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false)
                double maxDeletedFraction,
        @Bindable(defaultValue = "10000000") @Min(1) int maxSamples,
        @Bindable(defaultValue = "256") @Min(1) @Max(2047) int ramBufferMb) {

    public static final String PREFIX = "facestream.gallery-index";

    public GalleryIndexConfig {
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException(PREFIX + ".commit-interval must be positive, got " + commitInterval);
        }
    }

    public HnswSettings settings() {
        return new HnswSettings(maxConnections, beamWidth, candidates, maxDeletedFraction, maxSamples, ramBufferMb);
    }

    /** The persistence folder, if any. */
    public Optional<Path> folder() {
        return directory.isBlank() ? Optional.empty() : Optional.of(Path.of(directory));
    }
}
