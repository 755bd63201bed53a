package io.facestream.services.matcher.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Search over history ({@code POST /api/v1/search}, README "Search").
 *
 * @param dir where the history index lives (one Lucene index per partition, the enrolled samples, the offsets)
 * @param retention how far back faces are searchable; keep it within the {@code embeddings} topic's retention, so
 *     an index rebuilt from the topic covers the same window
 * @param partition capture-time span of one partition; expiry deletes whole partitions
 * @param ramBufferMb indexing buffer per partition being written
 * @param minScore default least cosine of a hit (a query may ask for another); 0.50 is the matcher's KNOWN
 *     threshold, so a search finds what matching would have called the same person
 * @param eraseThreshold erasing a person also erases every past face whose cosine to one of their gallery samples
 *     reaches this: their faces from before enrollment, seen as UNKNOWN. At most {@code minScore}, so nothing a
 *     search by the person would have found survives the erasure
 * @param defaultLimit hits returned when the query does not say
 * @param maxLimit most hits a query may ask for
 * @param commitInterval how often what was indexed is made durable with the topic offsets reached
 */
@ConfigurationProperties(SearchConfig.PREFIX)
public record SearchConfig(
        @Bindable(defaultValue = ".cache/history") @NotBlank String dir,
        @Bindable(defaultValue = "7d") @NotNull Duration retention,
        @Bindable(defaultValue = "1d") @NotNull Duration partition,
        @Bindable(defaultValue = "16") @Min(1) @Max(1024) int ramBufferMb,
        @Bindable(defaultValue = "0.50") @DecimalMin("-1") @DecimalMax("1") double minScore,
        @Bindable(defaultValue = "0.50") @DecimalMin("-1") @DecimalMax("1") double eraseThreshold,
        @Bindable(defaultValue = "50") @Min(1) int defaultLimit,
        @Bindable(defaultValue = "500") @Min(1) @Max(10000) int maxLimit,
        @Bindable(defaultValue = "10s") @NotNull Duration commitInterval) {

    public static final String PREFIX = "facestream.search";

    public SearchConfig {
        if (eraseThreshold > minScore) {
            throw new IllegalArgumentException(PREFIX + ".erase-threshold (" + eraseThreshold + ") must not exceed "
                    + PREFIX + ".min-score (" + minScore + ")");
        }
        if (defaultLimit > maxLimit) {
            throw new IllegalArgumentException(PREFIX + ".default-limit (" + defaultLimit + ") must not exceed "
                    + PREFIX + ".max-limit (" + maxLimit + ")");
        }
    }
}
