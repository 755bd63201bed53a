package io.facestream.services.matcher.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.facestream.schema.Decision;
import io.facestream.services.common.security.Roles;
import io.facestream.services.common.views.SightingView;
import io.facestream.services.matcher.kafka.RecentMatches;
import io.facestream.services.matcher.kafka.RecentSightings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.reactivestreams.Publisher;

/**
 * Sightings out (one per person-visit, the latest state of each): the most recent ones, one by id, its faces,
 * and a live stream of every new state as server-sent events. Read by viewers and operators; a camera account
 * only publishes frames.
 */
@Controller("/api/v1/sightings")
@Secured({Roles.VIEWER, Roles.OPERATOR})
public class SightingsController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private final RecentSightings sightings;
    private final RecentMatches matches;

    public SightingsController(RecentSightings sightings, RecentMatches matches) {
        this.sightings = sightings;
        this.matches = matches;
    }

    /**
     * {@code {"items": [...]}}: an object, so paging or totals can be added without breaking clients; an
     * empty page still says {@code "items": []} (serde leaves empty lists out by default).
     */
    @Serdeable
    public record SightingPage(@JsonInclude(JsonInclude.Include.ALWAYS) List<SightingView> items) {
    }

    @Serdeable
    public record FacePage(@JsonInclude(JsonInclude.Include.ALWAYS) List<FaceRef> items) {
    }

    @Serdeable
    public record FaceRef(String faceId, String thumbnailUrl) {
    }

    @Serdeable
    public record Problem(String error) {
    }

    @Get
    public HttpResponse<?> recent(@QueryValue @Nullable String camera, @QueryValue @Nullable String decision,
            @QueryValue @Nullable String limit) {
        int n;
        try {
            n = limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_LIMIT) {
            return HttpResponse.badRequest(new Problem("'limit' must be a whole number from 1 to " + MAX_LIMIT
                    + ", got '" + limit + "'"));
        }
        Decision wanted = null;
        if (decision != null && !decision.isBlank()) {
            try {
                wanted = Decision.valueOf(decision.strip());
            } catch (IllegalArgumentException e) {
                return HttpResponse.badRequest(new Problem("'decision' must be KNOWN or UNKNOWN, got '" + decision + "'"));
            }
        }
        String cameraId = camera == null || camera.isBlank() ? null : camera;
        return HttpResponse.ok(new SightingPage(sightings.latest(cameraId, wanted, n).stream().map(SightingView::of)
                .toList()));
    }

    @Get("/{sightingId}")
    public HttpResponse<?> one(@PathVariable String sightingId) {
        return sightings.get(sightingId).<HttpResponse<?>>map(s -> HttpResponse.ok(SightingView.of(s)))
                .orElseGet(() -> HttpResponse.notFound(new Problem("no recent sighting " + sightingId)));
    }

    /**
     * The sighting's faces that are still indexed (recent matches carrying its track id), oldest first; a
     * long or old sighting may have had more.
     */
    @Get("/{sightingId}/faces")
    public HttpResponse<?> faces(@PathVariable String sightingId) {
        if (sightings.get(sightingId).isEmpty()) {
            return HttpResponse.notFound(new Problem("no recent sighting " + sightingId));
        }
        return HttpResponse.ok(new FacePage(matches.facesOfTrack(sightingId).stream()
                .map(f -> new FaceRef(f, "/api/v1/faces/" + f + "/crop.png")).toList()));
    }

    /** Event {@code sighting}, data = the sighting's new state; the id names the state, not just the sighting. */
    @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<SightingView>> stream() {
        return sightings.live().map(s -> Event.of(SightingView.of(s))
                .id(s.getSightingId() + "@" + s.getUpdatedAt().toEpochMilli()).name("sighting"));
    }
}
