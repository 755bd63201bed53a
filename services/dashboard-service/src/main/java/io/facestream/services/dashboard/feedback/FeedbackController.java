package io.facestream.services.dashboard.feedback;

import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Verdict;
import io.facestream.services.common.security.Roles;
import io.facestream.services.common.validation.InputLimits;
import io.facestream.services.dashboard.faces.RecentFaces;
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

/**
 * Operator feedback on a face: confirm, relabel, "not this person", or a new identity. Each distinct decision
 * is written once to {@code feedback} (a repeated request — a double click — answers with the first record's
 * id and writes nothing); confirmed and relabelled faces can join the gallery. The rules are {@link Label}'s,
 * the writing {@link Labeller}'s (shared with labelling a whole sighting).
 */
@Controller("/api/v1/feedback")
@Secured(Roles.OPERATOR)
@ExecuteOn(TaskExecutors.BLOCKING)
public class FeedbackController {

    private final RecentFaces faces;
    private final Labeller labeller;

    public FeedbackController(RecentFaces faces, Labeller labeller) {
        this.faces = faces;
        this.labeller = labeller;
    }

    @Serdeable
    public record FeedbackRequest(@Nullable String faceId, @Nullable String verdict, @Nullable String identityId,
            @Nullable String name, @Nullable Boolean addToGallery) {
    }

    @Serdeable
    public record Problem(String error) {
    }

    /** Faces an operator has already labelled (the review queue leaves them out). */
    public boolean labelled(String faceId) {
        return labeller.faceLabelled(faceId);
    }

    @Post
    public HttpResponse<?> record(@Body FeedbackRequest body, Authentication operator) {
        if (body == null || body.faceId() == null || body.faceId().isBlank()) {
            return HttpResponse.badRequest(new Problem("'faceId' is required"));
        }
        Label label;
        try {
            label = Label.of(body.verdict(), body.identityId(), body.name(), body.addToGallery());
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(new Problem(e.getMessage()));
        }
        FaceEmbedding face = faces.get(body.faceId()).orElse(null);
        if (face == null) {
            return HttpResponse.notFound(new Problem("no recent face " + body.faceId()));
        }
        if (label.verdict() != Verdict.NEW_IDENTITY && !labeller.identityExists(label.identityId())) {
            return HttpResponse.notFound(new Problem("no identity " + label.identityId()));
        }
        if (label.joinsGallery()) {
            var refusal = labeller.galleryRefusal(face);
            if (refusal.isPresent()) {
                return HttpResponse.unprocessableEntity().body(new Problem("this face cannot join the gallery: "
                        + refusal.get()));
            }
        }
        Labeller.Outcome<Recorded> outcome = labeller.labelFace(face, label, operator.getName());
        return outcome.wrote() ? HttpResponse.status(HttpStatus.CREATED).body(outcome.recorded())
                : HttpResponse.ok(outcome.recorded());
    }
}
