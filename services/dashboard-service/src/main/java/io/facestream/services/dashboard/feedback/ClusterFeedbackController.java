package io.facestream.services.dashboard.feedback;

import io.facestream.clusters.density.ClusterView;
import io.facestream.matching.gallery.GalleryView;
import io.facestream.schema.FaceEmbedding;
import io.facestream.services.common.security.Roles;
import io.facestream.services.dashboard.faces.RecentFaces;
import io.facestream.services.dashboard.feedback.FeedbackController.Problem;
import io.facestream.services.matcher.clusters.UnknownClusterFollower;
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
 * so the next frame of that person is KNOWN; the same request again writes nothing.
 */
@Controller("/api/v1/clusters")
@Secured(Roles.OPERATOR)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ClusterFeedbackController {

    /** Best faces of a cluster that join the gallery when it is named. */
    static final int GALLERY_FACES = 3;

    private final UnknownClusterFollower clusters;
    private final RecentFaces faces;
    private final GalleryView gallery;
    private final Labeller labeller;

    public ClusterFeedbackController(UnknownClusterFollower clusters, RecentFaces faces, GalleryView gallery,
            Labeller labeller) {
        this.clusters = clusters;
        this.faces = faces;
        this.gallery = gallery;
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
        ClusterView k = clusters.cluster(clusterId).orElse(null);
        if (k == null) {
            return HttpResponse.notFound(new Problem("no cluster " + clusterId));
        }
        if (label.identityId() != null && gallery.identity(label.identityId()).isEmpty()) {
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
                operator.getName(), identityId -> clusters.name(k.clusterId(), identityId));
        return outcome.wrote() ? HttpResponse.status(HttpStatus.CREATED).body(outcome.recorded())
                : HttpResponse.ok(outcome.recorded());
    }

    private static double quality(FaceEmbedding f) {
        return f.getQuality() == null ? 0 : f.getQuality().getScore();
    }
}
