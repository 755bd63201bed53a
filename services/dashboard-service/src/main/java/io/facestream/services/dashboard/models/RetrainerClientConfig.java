package io.facestream.services.dashboard.models;

import io.facestream.services.dashboard.Application;
import io.facestream.services.dashboard.matcher.MatcherClientConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/**
 * Where the dashboard, run alone, finds the retrainer's models API ({@link RetrainerApi}). It calls it with
 * the same client, service account and timeouts as the matcher ({@link MatcherClientConfig}): the account is one
 * of the accounts every service reads, with the {@code operator} role.
 *
 * @param baseUrl the retrainer, e.g. {@code http://retrainer-service:8080} (http or https, no path, query or
 *     user info); no default
 * @param maxResponseBytes the largest answer read from it; a larger one is a 502. 8 MiB: a candidate's report
 *     files (confusion matrix, ROC and PR plots as PNG) are the largest answers
 */
// The retrainer's own ModelsController serves the models API in the all-in-one, which needs none of this.
@Requires(missingClasses = Application.RETRAINER_APPLICATION)
@ConfigurationProperties(RetrainerClientConfig.PREFIX)
public record RetrainerClientConfig(
        @NotNull URI baseUrl,
        @Bindable(defaultValue = "8388608") @Min(1024) @Max(16 * 1024 * 1024) int maxResponseBytes) {

    public static final String PREFIX = "facestream.dashboard.retrainer";

    public RetrainerClientConfig {
        if (baseUrl != null) {
            MatcherClientConfig.checkBaseUrl(PREFIX + ".base-url", baseUrl);
        }
    }
}
