package io.facestream.services.dashboard.identities;

import io.facestream.services.common.security.Roles;
import io.facestream.services.common.validation.ImageTypes;
import io.facestream.services.common.validation.InputLimits;
import io.facestream.services.dashboard.Application;
import io.facestream.services.dashboard.feedback.FeedbackController.Problem;
import io.facestream.services.dashboard.matcher.MatcherClient;
import io.facestream.services.dashboard.matcher.MatcherClient.IdentityView;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Optional;

/**
 * The gallery's people when the dashboard runs alone: list, create, enroll a photo, erase — each passed to the
 * matcher's identities API through {@link MatcherClient} (as the dashboard's service account, naming the
 * operator), with the matcher's roles. The photo is checked here first (type, empty; its size by
 * {@code micronaut.server.max-request-size}, as the matcher's); the matcher's refusals and failures come back as
 * {@code MatcherErrors} answers them.
 */
// The matcher's own IdentitiesController serves these paths in the all-in-one (see FeedsController).
@Requires(missingClasses = Application.MATCHER_APPLICATION)
@Controller("/api/v1/identities")
@Secured({Roles.VIEWER, Roles.OPERATOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class IdentitiesController {

    private final MatcherClient matcher;

    public IdentitiesController(MatcherClient matcher) {
        this.matcher = matcher;
    }

    @Serdeable
    public record NewIdentity(@Nullable String name) {
    }

    @Serdeable
    public record Created(String id) {
    }

    @Get
    public List<IdentityView> list() {
        return matcher.identities();
    }

    @Post
    @Secured(Roles.OPERATOR)
    public HttpResponse<?> create(@Body @Nullable NewIdentity body, Authentication caller) {
        Optional<String> problem = InputLimits.nameProblem("name", body == null ? null : body.name());
        if (problem.isPresent()) {
            return HttpResponse.badRequest(new Problem(problem.get()));
        }
        return HttpResponse.created(new Created(matcher.createIdentity(body.name().strip(), caller.getName())));
    }

    @Secured(Roles.OPERATOR)
    // Any type is routed here so that an unsupported one gets 415 with the reason (as the matcher's does).
    @Post(value = "/{id}/faces", consumes = MediaType.ALL)
    public HttpResponse<?> enroll(@PathVariable String id, @Body @Nullable byte[] image,
            @Header("Content-Type") @Nullable String contentType, Authentication caller) {
        if (!ImageTypes.accepted(contentType)) {
            return HttpResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(new Problem(ImageTypes.refusal(contentType)));
        }
        if (image == null || image.length == 0) {
            return HttpResponse.badRequest(new Problem("the body is empty; send a JPEG or PNG photo"));
        }
        return HttpResponse.created(matcher.enroll(id, image, contentType, caller.getName()));
    }

    @Delete("/{id}")
    @Secured(Roles.OPERATOR)
    public HttpResponse<?> delete(@PathVariable String id, Authentication caller) {
        matcher.deleteIdentity(id, caller.getName());
        return HttpResponse.noContent();
    }
}
