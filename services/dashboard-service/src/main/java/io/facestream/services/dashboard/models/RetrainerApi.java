package io.facestream.services.dashboard.models;

import io.facestream.services.dashboard.Application;
import io.facestream.services.dashboard.matcher.MatcherClient;
import io.facestream.services.dashboard.matcher.MatcherClient.Passed;
import io.facestream.services.dashboard.matcher.MatcherClient.Upstream;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import java.util.Set;

/**
 * The retrainer's models API, for the dashboard run alone: calls pass through the dashboard's one HTTP client
 * ({@link MatcherClient}, bounded the same way) to {@link RetrainerClientConfig#baseUrl()}.
 */
// Eager: a missing or invalid retrainer URL stops the service at start, not when someone opens the Models tab.
@Context
@Requires(missingClasses = Application.RETRAINER_APPLICATION)
public class RetrainerApi {

    private final MatcherClient client;
    private final Upstream retrainer;

    public RetrainerApi(RetrainerClientConfig config, MatcherClient client) {
        this.client = client;
        this.retrainer = new Upstream("retrainer", config.baseUrl(), config.maxResponseBytes());
    }

    /** The retrainer's answer as it is (see {@link MatcherClient#pass}). */
    public Passed pass(String method, String path, @Nullable String operator, Set<String> answerTypes) {
        return client.pass(retrainer, method, path, null, null, operator, answerTypes);
    }
}
