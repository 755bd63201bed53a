package io.facestream.services.dashboard.feedback;

import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Sighting;
import io.facestream.schema.Verdict;
import io.facestream.services.common.security.Roles;
import io.facestream.services.dashboard.faces.RecentFaces;
import io.facestream.services.dashboard.feedback.FeedbackController.Problem;
import io.facestream.services.dashboard.feeds.MatchFeed;
import io.facestream.services.dashboard.feeds.SightingFeed;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.List;

/**
 * Labels a whole sighting (one person-visit) with one verdict: every face of it the dashboard still has gets
 * its own {@code feedback} record, as if each had been labelled alone, and the same label again writes nothing.
 */
@Controller("/api/v1/sightings")
@Secured(Roles.OPERATOR)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SightingFeedbackController {

    private final SightingFeed sightings;
    private final MatchFeed matches;
    private final RecentFaces faces;
    private final Labeller labeller;

    public SightingFeedbackController(SightingFeed sightings, MatchFeed matches, RecentFaces faces,
            Labeller labeller) {
        this.sightings = sightings;
        this.matches = matches;
        this.faces = faces;
        this.labeller = labeller;
    }

    @Serdeable
    public record SightingFeedbackRequest(@Nullable String verdict, @Nullable String identityId,
            @Nullable String name, @Nullable Boolean addToGallery) {
    }

    @Post("/{sightingId}/feedback")
    public HttpResponse<?> label(@PathVariable String sightingId, @Body @Nullable SightingFeedbackRequest body,
            Authentication operator) {
        if (body == null) {
            return HttpResponse.badRequest(new Problem("a JSON body with 'verdict' is required"));
        }
        Label label;
        try {
            label = Label.of(body.verdict(), body.identityId(), body.name(), body.addToGallery());
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(new Problem(e.getMessage()));
        }
        Sighting sighting = sightings.get(sightingId).orElse(null);
        if (sighting == null) {
            return HttpResponse.notFound(new Problem("no recent sighting " + sightingId));
        }
        if (label.verdict() != Verdict.NEW_IDENTITY && !labeller.identityExists(label.identityId())) {
            return HttpResponse.notFound(new Problem("no identity " + label.identityId()));
        }
        List<String> faceIds = matches.facesOfTrack(sightingId);
        List<FaceEmbedding> kept = new ArrayList<>(faceIds.size());
        for (String faceId : faceIds) {
            faces.get(faceId).ifPresent(kept::add);
        }
        if (kept.isEmpty()) {
            return HttpResponse.notFound(new Problem("none of sighting " + sightingId + "'s faces is still kept ("
                    + faceIds.size() + " indexed, " + sighting.getFaceCount() + " in the sighting)"));
        }
        if (label.joinsGallery() && kept.stream().allMatch(f -> labeller.galleryRefusal(f).isPresent())) {
            return HttpResponse.unprocessableEntity().body(new Problem("no face of sighting " + sightingId
                    + " can join the gallery: " + labeller.galleryRefusal(kept.get(0)).orElseThrow()));
        }
        int notKept = Math.max(sighting.getFaceCount(), faceIds.size()) - kept.size();
        Labeller.Outcome<SightingRecorded> outcome = labeller.labelSighting(sightingId, kept,
                sighting.getBestFaceId(), notKept, label, operator.getName());
        return outcome.wrote() ? HttpResponse.status(HttpStatus.CREATED).body(outcome.recorded())
                : HttpResponse.ok(outcome.recorded());
    }
}
