package io.facestream.services.dashboard.feedback;

import io.facestream.schema.FaceEmbedding;
import io.facestream.services.common.security.Roles;
import io.facestream.services.dashboard.faces.RecentFaces;
import io.facestream.services.dashboard.feedback.FeedbackController.Problem;
import io.facestream.services.dashboard.matcher.MatcherClient;
import io.facestream.services.dashboard.matcher.MatcherClient.Cluster;
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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Names a cluster of unknown faces (README, "Unknown clusters"): to a new person ({@code name}) or an enrolled
 * one ({@code identityId}). Every face of the cluster gets its own {@code feedback} record, its best faces
 * that pass the enrollment gate join the gallery (unless {@code addToGallery} is false for an enrolled person),
 * so the next frame of that person is KNOWN; the same request again writes nothing. The clusters are the
 * matcher's: the dashboard reads the cluster and names it there through the matcher's HTTP API
 * ({@link MatcherClient}), as it does every gallery write.
 */
@Controller("/api/v1/clusters")
@Secured(Roles.OPERATOR)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ClusterFeedbackController {

    /** Best faces of a cluster that join the gallery when it is named. */
    static final int GALLERY_FACES = 3;

    private final MatcherClient matcher;
    private final RecentFaces faces;
    private final Labeller labeller;

    public ClusterFeedbackController(MatcherClient matcher, RecentFaces faces, Labeller labeller) {
        this.matcher = matcher;
        this.faces = faces;
        this.labeller = labeller;
    }

    @Serdeable
    public record ClusterName(@Nullable String name, @Nullable String identityId, @Nullable Boolean addToGallery) {
    }

    @Post("/{clusterId}/name")
    public HttpResponse<?> name(@PathVariable String clusterId, @Body @Nullable ClusterName body,
            Authentication operator) {
        if (body == null || (body.name() == null) == (body.identityId() == null)) {
            return HttpResponse.badRequest(new Problem("a JSON body with either 'name' (a new person) or 'identityId'"
                    + " (an enrolled one) is required"));
        }
        Label label;
        try {
            label = body.name() != null ? Label.of("NEW_IDENTITY", null, body.name(), true)
                    : Label.of("RELABEL", body.identityId(), null, body.addToGallery() == null || body.addToGallery());
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(new Problem(e.getMessage()));
        }
        // a failure at the matcher propagates as MatcherException: 502/504, or its own 400/404/409/422 (MatcherErrors)
        Cluster k = matcher.cluster(clusterId).orElse(null);
        if (k == null) {
            return HttpResponse.notFound(new Problem("no cluster " + clusterId));
        }
        if (label.identityId() != null && !labeller.identityExists(label.identityId())) {
            return HttpResponse.notFound(new Problem("no identity " + label.identityId()));
        }
        Optional<ClusterRecorded> earlier = labeller.earlierClusterLabel(k.clusterId(), label);
        if (earlier.isEmpty() && k.identityId() != null && !k.identityId().equals(label.identityId())) {
            return HttpResponse.status(HttpStatus.CONFLICT).body(new Problem("cluster " + k.clusterId()
                    + " is already named to identity " + k.identityId()));
        }
        List<FaceEmbedding> best = k.faceIds().stream().map(faces::get).flatMap(Optional::stream)
                .filter(f -> labeller.galleryRefusal(f).isEmpty())
                .sorted(Comparator.comparingDouble(ClusterFeedbackController::quality).reversed())
                .limit(GALLERY_FACES).toList();
        if (earlier.isEmpty() && label.joinsGallery() && best.isEmpty()) {
            return HttpResponse.unprocessableEntity().body(new Problem("no face of cluster " + k.clusterId()
                    + " that the dashboard still has passes the enrollment gate"));
        }
        Labeller.Outcome<ClusterRecorded> outcome = labeller.labelCluster(k.clusterId(), k.faceIds(), best, label,
                operator.getName(), identityId -> matcher.nameCluster(k.clusterId(), identityId, operator.getName()));
        return outcome.wrote() ? HttpResponse.status(HttpStatus.CREATED).body(outcome.recorded())
                : HttpResponse.ok(outcome.recorded());
    }

    private static double quality(FaceEmbedding f) {
        return f.getQuality() == null ? 0 : f.getQuality().getScore();
    }
}
