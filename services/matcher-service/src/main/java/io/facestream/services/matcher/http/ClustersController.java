package io.facestream.services.matcher.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.facestream.clusters.density.ClusterView;
import io.facestream.clusters.density.UnknownFace;
import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.services.common.security.Roles;
import io.facestream.services.matcher.clusters.UnknownClusterFollower;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Clusters of unknown faces (pseudo-identities), largest first, and their representative crops (README,
 * "Unknown clusters"). Read by viewers and operators; naming a cluster is the dashboard's
 * {@code POST /api/v1/clusters/{id}/name}, which records the name here ({@code PUT /{id}/identity}).
 */
@Controller("/api/v1/clusters")
@Secured({Roles.VIEWER, Roles.OPERATOR})
public class ClustersController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** Face ids listed per cluster at most (latest first); {@code size} says how many it has. */
    static final int MAX_FACE_IDS = 1000;

    private final UnknownClusterFollower clusters;
    private final GalleryView gallery;

    public ClustersController(UnknownClusterFollower clusters, GalleryView gallery) {
        this.clusters = clusters;
        this.gallery = gallery;
    }

    @Serdeable
    public record ClusterPage(@JsonInclude(JsonInclude.Include.ALWAYS) List<ClusterItem> items) {
    }

    /** {@code identityId} is the person it was named to (absent while unnamed). */
    @Serdeable
    public record ClusterItem(String clusterId, int size, List<String> cameras, String firstSeen, String lastSeen,
            List<String> faceIds, List<String> cropUrls, @Nullable String identityId) {

        static ClusterItem of(ClusterView k) {
            return new ClusterItem(k.clusterId(), k.size(), k.cameras(), k.firstSeen().toString(),
                    k.lastSeen().toString(), k.faceIds().subList(0, Math.min(MAX_FACE_IDS, k.faceIds().size())),
                    k.representatives().stream().filter(f -> f.crop() != null)
                            .map(f -> "/api/v1/clusters/" + k.clusterId() + "/faces/" + f.faceId() + "/crop.png")
                            .toList(),
                    k.identityId());
        }
    }

    @Serdeable
    public record Problem(String error) {
    }

    @Get
    public HttpResponse<?> largest(@QueryValue @Nullable String limit, @QueryValue @Nullable String minSize) {
        int n = wholeNumber(limit, DEFAULT_LIMIT);
        if (n < 1 || n > MAX_LIMIT) {
            return HttpResponse.badRequest(new Problem("'limit' must be a whole number from 1 to " + MAX_LIMIT
                    + ", got '" + limit + "'"));
        }
        int min = wholeNumber(minSize, 1);
        if (min < 1 || min > 1_000_000) {
            return HttpResponse.badRequest(new Problem("'minSize' must be a whole number from 1 to 1000000, got '"
                    + minSize + "'"));
        }
        return HttpResponse.ok(new ClusterPage(clusters.largest(n).stream().filter(k -> k.size() >= min)
                .map(ClusterItem::of).toList()));
    }

    /** One cluster; an absorbed id answers with the cluster that took it over. */
    @Get("/{clusterId}")
    public HttpResponse<?> one(@PathVariable String clusterId) {
        return clusters.cluster(clusterId).<HttpResponse<?>>map(k -> HttpResponse.ok(ClusterItem.of(k)))
                .orElseGet(() -> HttpResponse.notFound(new Problem("no cluster " + clusterId)));
    }

    @Serdeable
    public record ClusterIdentity(@Nullable String identityId) {
    }

    /**
     * Records that an operator named the cluster to a person (the dashboard's {@code POST /api/v1/clusters/{id}/name}
     * calls it, after creating the person when needed, before it writes the faces' labels): published on
     * {@code clusters}, and the cluster's faces leave it as they match the person.
     */
    @Put("/{clusterId}/identity")
    @Secured(Roles.OPERATOR)
    public HttpResponse<?> name(@PathVariable String clusterId, @Body @Nullable ClusterIdentity body) {
        String identityId = body == null ? null : body.identityId();
        if (identityId == null || identityId.isBlank() || identityId.length() > 128) {
            return HttpResponse.badRequest(new Problem("a JSON body {\"identityId\": …} of 1 to 128 characters is required"));
        }
        if (gallery.identity(identityId).isEmpty()) {
            return HttpResponse.notFound(new Problem("no identity " + identityId));
        }
        return clusters.name(clusterId, identityId).<HttpResponse<?>>map(k -> HttpResponse.ok(ClusterItem.of(k)))
                .orElseGet(() -> HttpResponse.notFound(new Problem("no cluster " + clusterId)));
    }

    @Get(value = "/{clusterId}/faces/{faceId}/crop.png", produces = MediaType.IMAGE_PNG)
    public HttpResponse<byte[]> crop(@PathVariable String clusterId, @PathVariable String faceId) {
        return clusters.cluster(clusterId).flatMap(k -> k.representatives().stream()
                        .filter(f -> f.faceId().equals(faceId) && f.crop() != null).map(UnknownFace::crop).findFirst())
                .map(b -> HttpResponse.ok(b).header("Cache-Control", "private, max-age=3600"))
                .orElseGet(HttpResponse::notFound);
    }

    private static int wholeNumber(String value, int absent) {
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
