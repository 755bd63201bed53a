package io.facestream.services.dashboard.clusters;

import io.facestream.services.common.security.Roles;
import io.facestream.services.dashboard.Application;
import io.facestream.services.dashboard.feedback.FeedbackController.Problem;
import io.facestream.services.dashboard.matcher.MatcherClient;
import io.facestream.services.dashboard.matcher.Query;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.Set;

/**
 * The unknown-face clusters when the dashboard runs alone: the list, one cluster and a best face's crop, passed
 * to the matcher (which alone clusters the faces) through {@link MatcherClient} and handed back as it answered
 * them: the same JSON, statuses and limits (the matcher checks {@code limit} and {@code minSize}). The crop URLs
 * in its answer name this controller's crop route, so the page loads them from the dashboard too. Naming a
 * cluster is the dashboard's own ({@code ClusterFeedbackController}).
 */
// The matcher's own ClustersController serves these paths in the all-in-one (see FeedsController).
@Requires(missingClasses = Application.MATCHER_APPLICATION)
@Controller("/api/v1/clusters")
@Secured({Roles.VIEWER, Roles.OPERATOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class ClustersController {

    private static final Set<String> PNG = Set.of(MediaType.IMAGE_PNG);

    private final MatcherClient matcher;

    public ClustersController(MatcherClient matcher) {
        this.matcher = matcher;
    }

    @Get
    public HttpResponse<?> largest(@QueryValue @Nullable String limit, @QueryValue @Nullable String minSize) {
        String query = Query.of("limit", limit).and("minSize", minSize).toString();
        return matcher.pass(matcher.matcher(), "GET", "/api/v1/clusters" + query, null, null, null,
                MatcherClient.JSON).response();
    }

    @Get("/{clusterId}")
    public HttpResponse<?> one(@PathVariable String clusterId) {
        if (!MatcherClient.safeSegment(clusterId)) {
            return HttpResponse.notFound(new Problem("no cluster " + clusterId)); // the matcher makes no such id
        }
        return matcher.pass(matcher.matcher(), "GET", "/api/v1/clusters/" + clusterId, null, null, null,
                MatcherClient.JSON).response();
    }

    @Get(value = "/{clusterId}/faces/{faceId}/crop.png", produces = MediaType.IMAGE_PNG)
    public HttpResponse<?> crop(@PathVariable String clusterId, @PathVariable String faceId) {
        if (!MatcherClient.safeSegment(clusterId) || !MatcherClient.safeSegment(faceId)) {
            return HttpResponse.notFound();
        }
        return matcher.pass(matcher.matcher(), "GET", "/api/v1/clusters/" + clusterId + "/faces/" + faceId
                + "/crop.png", null, null, null, PNG).response().header("Cache-Control", "private, max-age=3600");
    }
}
