package io.facestream.services.dashboard.search;

import io.facestream.services.common.security.Roles;
import io.facestream.services.common.validation.ImageTypes;
import io.facestream.services.dashboard.Application;
import io.facestream.services.dashboard.feedback.FeedbackController.Problem;
import io.facestream.services.dashboard.matcher.MatcherClient;
import io.facestream.services.dashboard.matcher.Query;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.util.Locale;

/**
 * Search over history when the dashboard runs alone: {@code POST /api/v1/search} passed to the matcher (which
 * alone embeds the photo and holds the history index) through {@link MatcherClient}, with its filters, and
 * handed back as it answered: the same page, statuses and reasons (the matcher checks the filters, the JSON
 * query and the face). Checked here first, so a refused body is not sent on: its type (415) and emptiness
 * (400); its size by {@code micronaut.server.max-request-size}, 16 MB as the matcher's and the ingest's.
 */
// The matcher's own SearchController serves this path in the all-in-one (see FeedsController).
@Requires(missingClasses = Application.MATCHER_APPLICATION)
@Controller("/api/v1/search")
@Secured({Roles.VIEWER, Roles.OPERATOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class SearchController {

    private final MatcherClient matcher;

    public SearchController(MatcherClient matcher) {
        this.matcher = matcher;
    }

    /** Any type is routed here so that an unsupported one gets 415 with the reason, as the matcher's. */
    @Post(consumes = MediaType.ALL)
    public HttpResponse<?> search(@Body @Nullable byte[] body, @Header("Content-Type") @Nullable String contentType,
            @QueryValue @Nullable String camera, @QueryValue @Nullable String from, @QueryValue @Nullable String to,
            @QueryValue @Nullable String minScore, @QueryValue @Nullable String limit, Authentication caller) {
        String type = contentType == null ? null : mediaType(contentType);
        boolean json = MediaType.APPLICATION_JSON.equals(type);
        if (!json && !ImageTypes.accepted(type)) {
            return HttpResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(new Problem(
                    ImageTypes.refusal(contentType) + ", or application/json for a search by identity"));
        }
        if (body == null || body.length == 0) {
            return HttpResponse.badRequest(new Problem(
                    "the body is empty; send a JPEG or PNG photo, or {\"identityId\": \"...\"} as application/json"));
        }
        String query = Query.of("camera", camera).and("from", from).and("to", to).and("minScore", minScore)
                .and("limit", limit).toString();
        return matcher.pass(matcher.matcher(), "POST", "/api/v1/search" + query, body, type, caller.getName(),
                MatcherClient.JSON).response();
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
