package io.facestream.services.matcher.http;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.pipeline.gallery.GalleryRecords;
import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.pipeline.gallery.GalleryWriter;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.enroll.Enroller;
import io.facestream.pipeline.enroll.Enrollment;
import io.facestream.services.common.validation.ImageTypes;
import io.facestream.services.common.validation.InputLimits;
import io.facestream.services.matcher.enroll.ActiveEnroller;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.services.common.security.ActingOperator;
import io.facestream.services.common.security.Roles;
import io.micronaut.security.authentication.Authentication;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.util.Optional;

/** Enrollment: who is in the gallery, with which photos; erasure on delete. */
@Controller("/api/v1/identities")
@Secured({Roles.VIEWER, Roles.OPERATOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class IdentitiesController {

    /** The largest aligned crop a labelled sample may carry (the embedder's are a few KB). */
    static final int MAX_CROP_BYTES = 1 << 20;
    /** Ids and model versions a sample may name. */
    static final int MAX_ID_LENGTH = 128;
    private static final Logger LOG = LoggerFactory.getLogger(IdentitiesController.class);

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

    /**
     * A face an operator labelled, already embedded (the dashboard keeps the embedder's output): its vector and
     * model version as the embedder wrote them, and its aligned crop, base64.
     */
    @Serdeable
    public record NewSample(@Nullable String sourceFaceId, @Nullable List<Float> vector, @Nullable String modelVersion,
            @Nullable String alignedCrop) {
    }

    @Serdeable
    public record SampleAdded(String identityId, String sampleId) {
    }

    @Post
    @Secured(Roles.OPERATOR)
    public HttpResponse<?> create(@Body NewIdentity body, Authentication caller,
            @Header(ActingOperator.HEADER) @Nullable String onBehalfOf) {
        Optional<String> problem = InputLimits.nameProblem("name", body == null ? null : body.name());
        if (problem.isPresent()) {
            return HttpResponse.badRequest(new Problem(problem.get()));
        }
        Identity identity = GalleryRecords.identity(
                io.facestream.core.gallery.NewIdentity.named(body.name()), clock.instant());
        String id = identity.getIdentityId();
        writer.putIdentity(identity);
        LOG.info("identity {} created by {}", id, ActingOperator.describe(caller.getName(), onBehalfOf));
        return HttpResponse.created(new Created(id));
    }

    /**
     * Adds an operator-labelled face to a person's samples (the dashboard's "add to gallery"); the caller has
     * checked the enrollment gate. 404 without the person, 400 with the reason for a malformed sample.
     */
    @Post("/{id}/samples")
    @Secured(Roles.OPERATOR)
    public HttpResponse<?> addSample(@PathVariable String id, @Body @Nullable NewSample body, Authentication caller,
            @Header(ActingOperator.HEADER) @Nullable String onBehalfOf) {
        if (gallery.identity(id).isEmpty()) {
            return HttpResponse.notFound(new Problem("no identity " + id));
        }
        Optional<String> problem = sampleProblem(body);
        if (problem.isPresent()) {
            return HttpResponse.badRequest(new Problem(problem.get()));
        }
        ByteBuffer crop = null;
        if (body.alignedCrop() != null) {
            try {
                byte[] bytes = Base64.getDecoder().decode(body.alignedCrop());
                if (bytes.length > MAX_CROP_BYTES) {
                    return HttpResponse.badRequest(new Problem("'alignedCrop' is larger than " + MAX_CROP_BYTES
                            + " bytes"));
                }
                crop = ByteBuffer.wrap(bytes);
            } catch (IllegalArgumentException e) {
                return HttpResponse.badRequest(new Problem("'alignedCrop' is not base64"));
            }
        }
        GallerySample sample = GalleryRecords.sample(GalleryKey.newSample(id), body.vector(), body.modelVersion(),
                body.sourceFaceId(), crop, clock.instant());
        writer.putSample(sample);
        LOG.info("sample {} of {} (face {}) added by {}", sample.getSampleId(), id, body.sourceFaceId(),
                ActingOperator.describe(caller.getName(), onBehalfOf));
        return HttpResponse.created(new SampleAdded(id, sample.getSampleId()));
    }

    static Optional<String> sampleProblem(NewSample s) {
        if (s == null) {
            return Optional.of("a JSON body with 'sourceFaceId', 'vector' and 'modelVersion' is required");
        }
        if (s.sourceFaceId() == null || s.sourceFaceId().isBlank() || s.sourceFaceId().length() > MAX_ID_LENGTH) {
            return Optional.of("'sourceFaceId' is required, at most " + MAX_ID_LENGTH + " characters");
        }
        if (s.modelVersion() == null || s.modelVersion().isBlank() || s.modelVersion().length() > MAX_ID_LENGTH) {
            return Optional.of("'modelVersion' is required, at most " + MAX_ID_LENGTH + " characters");
        }
        List<Float> v = s.vector();
        if (v == null || v.size() != MobileFaceNet.EMBEDDING_SIZE) {
            return Optional.of("'vector' must have " + MobileFaceNet.EMBEDDING_SIZE + " values");
        }
        double norm = 0;
        for (Float x : v) {
            if (x == null || !Float.isFinite(x)) {
                return Optional.of("'vector' must hold finite numbers");
            }
            norm += x * x;
        }
        return norm > 0 ? Optional.empty() : Optional.of("'vector' must not be all zeros");
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
        writer.erase(id, gallery.sampleKeys(id));
        // The history erases the person when it reads their tombstone; answer once this instance's has.
        history.sync();
        return HttpResponse.noContent();
    }
}
