package io.facestream.services.dashboard.feedback;

import io.facestream.matching.gallery.GalleryView;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Feedback;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Verdict;
import io.facestream.services.common.security.Roles;
import io.facestream.services.common.validation.InputLimits;
import io.facestream.services.dashboard.faces.RecentFaces;
import io.facestream.services.matcher.kafka.GalleryWriter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Operator feedback on a face: confirm, relabel, "not this person", or a new identity. Each distinct decision
 * is written once to {@code feedback} (a repeated request — a double click — answers with the first record's
 * id and writes nothing); confirmed and relabelled faces can join the gallery.
 */
@Controller("/api/v1/feedback")
@Secured(Roles.OPERATOR)
@ExecuteOn(TaskExecutors.BLOCKING)
public class FeedbackController {

    private final RecentFaces faces;
    private final GalleryView gallery;
    private final GalleryWriter galleryWriter;
    private final FeedbackWriter writer;
    private final Clock clock;
    /** decision key → the feedback (and identity) it produced. */
    private final Map<String, Recorded> decided = new ConcurrentHashMap<>();
    private final Set<String> labelledFaces = ConcurrentHashMap.newKeySet();

    public FeedbackController(RecentFaces faces, GalleryView gallery, GalleryWriter galleryWriter, FeedbackWriter writer,
            Clock clock) {
        this.faces = faces;
        this.gallery = gallery;
        this.galleryWriter = galleryWriter;
        this.writer = writer;
        this.clock = clock;
    }

    @Serdeable
    public record FeedbackRequest(@Nullable String faceId, @Nullable String verdict, @Nullable String identityId,
            @Nullable String name, @Nullable Boolean addToGallery) {
    }

    @Serdeable
    public record Recorded(String feedbackId, @Nullable String identityId) {
    }

    @Serdeable
    public record Problem(String error) {
    }

    /** Faces an operator has already labelled (the review queue leaves them out). */
    public boolean labelled(String faceId) {
        return labelledFaces.contains(faceId);
    }

    @Post
    public synchronized HttpResponse<?> record(@Body FeedbackRequest body, Authentication operator) {
        if (body == null || body.faceId() == null || body.faceId().isBlank()) {
            return HttpResponse.badRequest(new Problem("'faceId' is required"));
        }
        Verdict verdict;
        try {
            verdict = Verdict.valueOf(String.valueOf(body.verdict()));
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(new Problem("'verdict' must be one of CONFIRM, RELABEL, NOT_THIS_PERSON,"
                    + " NEW_IDENTITY"));
        }
        if (verdict == Verdict.NEW_IDENTITY ? blank(body.name()) : blank(body.identityId())) {
            return HttpResponse.badRequest(new Problem(verdict == Verdict.NEW_IDENTITY ? "'name' is required"
                    : "'identityId' is required for " + verdict));
        }
        if (verdict == Verdict.NEW_IDENTITY && InputLimits.nameProblem("name", body.name()).isPresent()) {
            return HttpResponse.badRequest(new Problem(InputLimits.nameProblem("name", body.name()).get()));
        }
        FaceEmbedding face = faces.get(body.faceId()).orElse(null);
        if (face == null) {
            return HttpResponse.notFound(new Problem("no recent face " + body.faceId()));
        }
        if (verdict != Verdict.NEW_IDENTITY && gallery.identity(body.identityId()).isEmpty()) {
            return HttpResponse.notFound(new Problem("no identity " + body.identityId()));
        }
        String key = body.faceId() + "|" + verdict + "|" + body.identityId() + "|" + body.name();
        Recorded earlier = decided.get(key);
        if (earlier != null) {
            return HttpResponse.ok(earlier);
        }
        String identityId = verdict == Verdict.NEW_IDENTITY ? newIdentity(body.name().strip()) : body.identityId();
        Recorded recorded = new Recorded(UUID.randomUUID().toString(), identityId);
        writer.write(Feedback.newBuilder().setFeedbackId(recorded.feedbackId()).setFaceId(face.getFaceId())
                .setVerdict(verdict).setIdentityId(identityId).setOperator(operator.getName()).setAt(clock.instant())
                .build());
        boolean joins = verdict != Verdict.NOT_THIS_PERSON
                && (verdict == Verdict.NEW_IDENTITY || Boolean.TRUE.equals(body.addToGallery()));
        if (joins) {
            galleryWriter.putSample(GallerySample.newBuilder().setIdentityId(identityId)
                    .setSampleId(UUID.randomUUID().toString()).setVector(face.getVector())
                    .setModelVersion(face.getModelVersion()).setSourceFaceId(face.getFaceId())
                    .setEnrolledAt(clock.instant()).setAlignedCrop(face.getAlignedCrop()).build());
        }
        decided.put(key, recorded);
        labelledFaces.add(face.getFaceId());
        return HttpResponse.status(HttpStatus.CREATED).body(recorded);
    }

    private String newIdentity(String name) {
        String id = UUID.randomUUID().toString();
        galleryWriter.putIdentity(Identity.newBuilder().setIdentityId(id).setDisplayName(name).setMetadata(Map.of())
                .setCreatedAt(clock.instant()).build());
        return id;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
