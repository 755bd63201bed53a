package io.facestream.services.matcher.http;

import io.facestream.matching.gallery.GalleryView;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.enroll.Enroller;
import io.facestream.pipeline.enroll.Enrollment;
import io.facestream.services.common.validation.ImageTypes;
import io.facestream.services.common.validation.InputLimits;
import io.facestream.services.matcher.enroll.ActiveEnroller;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.services.common.security.Roles;
import io.facestream.services.matcher.kafka.GalleryWriter;
import io.facestream.services.matcher.search.HistoryFeed;
import io.micronaut.http.annotation.Header;
import io.micronaut.security.annotation.Secured;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Enrollment: who is in the gallery, with which photos; erasure on delete. */
@Controller("/api/v1/identities")
@Secured({Roles.VIEWER, Roles.OPERATOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class IdentitiesController {

    private final GalleryView gallery;
    private final GalleryWriter writer;
    private final ActiveEnroller enroller;
    private final Clock clock;
    private final HistoryFeed history;

    public IdentitiesController(GalleryView gallery, GalleryWriter writer, ActiveEnroller enroller, Clock clock,
            HistoryFeed history) {
        this.history = history;
        this.gallery = gallery;
        this.writer = writer;
        this.enroller = enroller;
        this.clock = clock;
    }

    @Serdeable
    public record NewIdentity(@Nullable String name) {
    }

    @Serdeable
    public record Created(String id) {
    }

    @Serdeable
    public record Enrolled(String identityId, String sampleId, String modelVersion) {
    }

    @Serdeable
    public record IdentityView(String id, String name, int samples) {
    }

    @Serdeable
    public record Problem(String error) {
    }

    @Post
    @Secured(Roles.OPERATOR)
    public HttpResponse<?> create(@Body NewIdentity body) {
        Optional<String> problem = InputLimits.nameProblem("name", body == null ? null : body.name());
        if (problem.isPresent()) {
            return HttpResponse.badRequest(new Problem(problem.get()));
        }
        String id = UUID.randomUUID().toString();
        writer.putIdentity(Identity.newBuilder().setIdentityId(id).setDisplayName(body.name().strip())
                .setMetadata(Map.of()).setCreatedAt(clock.instant()).build());
        return HttpResponse.created(new Created(id));
    }

    @Secured(Roles.OPERATOR)
    // Any type is routed here so that an unsupported one gets 415 with the reason: a route that does not match
    // the type falls through to the security rules, which answer 403.
    @Post(value = "/{id}/faces", consumes = MediaType.ALL)
    public HttpResponse<?> enroll(@PathVariable String id, @Body byte[] image,
            @Header("Content-Type") @Nullable String contentType) {
        if (!ImageTypes.accepted(contentType)) {
            return HttpResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(new Problem(ImageTypes.refusal(contentType)));
        }
        if (gallery.identity(id).isEmpty()) {
            return HttpResponse.notFound(new Problem("no identity " + id));
        }
        if (image == null || image.length == 0) {
            return HttpResponse.badRequest(new Problem("the body is empty; send a JPEG or PNG photo"));
        }
        try {
            Enrollment enrollment = enroller.current().enroll(id, image);
            enrollment.samples().forEach(writer::putSample);
            GallerySample sample = enrollment.sample();
            return HttpResponse.created(new Enrolled(id, sample.getSampleId(), sample.getModelVersion()));
        } catch (RejectedRecordException e) {
            // A photo without a usable face is well-formed but cannot be enrolled: 422, with the reason.
            HttpStatus status = e.kind().equals("no-face") || e.kind().equals(Enroller.LOW_QUALITY)
                    ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.BAD_REQUEST;
            return HttpResponse.status(status).body(new Problem(e.getMessage()));
        }
    }

    @Get
    public List<IdentityView> list() {
        return gallery.identities().stream()
                .map(i -> new IdentityView(i.getIdentityId(), i.getDisplayName(),
                        gallery.sampleKeys(i.getIdentityId()).size()))
                .sorted(Comparator.comparing(IdentityView::name).thenComparing(IdentityView::id)).toList();
    }

    @Get("/{id}")
    public HttpResponse<?> get(@PathVariable String id) {
        return gallery.identity(id)
                .<HttpResponse<?>>map(i -> HttpResponse.ok(new IdentityView(id, i.getDisplayName(),
                        gallery.sampleKeys(id).size())))
                .orElseGet(() -> HttpResponse.notFound(new Problem("no identity " + id)));
    }

    @Delete("/{id}")
    @Secured(Roles.OPERATOR)
    public HttpResponse<?> delete(@PathVariable String id) {
        if (gallery.identity(id).isEmpty() && gallery.sampleKeys(id).isEmpty()) {
            return HttpResponse.notFound(new Problem("no identity " + id));
        }
        writer.erase(id);
        // The history erases the person when it reads their tombstone; answer once this instance's has.
        history.sync();
        return HttpResponse.noContent();
    }
}
