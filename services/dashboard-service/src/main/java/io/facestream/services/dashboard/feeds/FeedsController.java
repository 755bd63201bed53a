package io.facestream.services.dashboard.feeds;

import io.facestream.schema.Decision;
import io.facestream.services.common.security.Roles;
import io.facestream.services.common.views.MatchView;
import io.facestream.services.common.views.SightingView;
import io.facestream.services.dashboard.Application;
import io.facestream.services.dashboard.feedback.FeedbackController.Problem;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.reactivestreams.Publisher;

/**
 * The page's "Live" tab when the dashboard runs alone: {@code GET /api/v1/matches} and
 * {@code GET /api/v1/sightings}, their live streams ({@code /stream}, server-sent events), one sighting and its
 * faces — all from its own followers of the topics (no stream is proxied), in the matcher's JSON shapes, event
 * names and ids, and limits.
 */
// Requires the matcher's absence rather than a flag the all-in-one sets: the matcher's controllers own these
// paths whenever they are in the JVM, so no setting can forget to turn this off and make the routes clash.
@Requires(missingClasses = Application.MATCHER_APPLICATION)
@Controller("/api/v1")
@Secured({Roles.VIEWER, Roles.OPERATOR})
public class FeedsController {

    /** As the matcher's MatchesController and SightingsController. */
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_MATCHES = 500;
    static final int MAX_SIGHTINGS = 1000;

    private final MatchFeed matches;
    private final SightingFeed sightings;

    public FeedsController(MatchFeed matches, SightingFeed sightings) {
        this.matches = matches;
        this.sightings = sightings;
    }

    /** As the matcher's sightings page: an object, and {@code "items": []} when empty. */
    @Serdeable
    public record SightingPage(@JsonInclude(JsonInclude.Include.ALWAYS) List<SightingView> items) {
    }

    @Serdeable
    public record FacePage(@JsonInclude(JsonInclude.Include.ALWAYS) List<FaceRef> items) {
    }

    @Serdeable
    public record FaceRef(String faceId, String thumbnailUrl) {
    }

    @Get("/matches")
    public HttpResponse<?> matches(@QueryValue @Nullable String limit) {
        int n = limit(limit, MAX_MATCHES);
        if (n < 0) {
            return HttpResponse.badRequest(limitProblem(limit, MAX_MATCHES));
        }
        return HttpResponse.ok(matches.latest(n).stream().map(MatchView::of).toList());
    }

    @Get("/sightings")
    public HttpResponse<?> sightings(@QueryValue @Nullable String camera, @QueryValue @Nullable String decision,
            @QueryValue @Nullable String limit) {
        int n = limit(limit, MAX_SIGHTINGS);
        if (n < 0) {
            return HttpResponse.badRequest(limitProblem(limit, MAX_SIGHTINGS));
        }
        Decision wanted = null;
        if (decision != null && !decision.isBlank()) {
            try {
                wanted = Decision.valueOf(decision.strip());
            } catch (IllegalArgumentException e) {
                return HttpResponse.badRequest(new Problem("'decision' must be KNOWN or UNKNOWN, got '" + decision
                        + "'"));
            }
        }
        String cameraId = camera == null || camera.isBlank() ? null : camera;
        return HttpResponse.ok(new SightingPage(sightings.latest(cameraId, wanted, n).stream()
                .map(SightingView::of).toList()));
    }

    /** Event {@code match}, id = the face, as the matcher's. */
    @Get(value = "/matches/stream", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<MatchView>> matchStream() {
        return matches.live().map(m -> Event.of(MatchView.of(m)).id(m.getFaceId()).name("match"));
    }

    /** Event {@code sighting}, data = the sighting's new state; the id names the state, as the matcher's. */
    @Get(value = "/sightings/stream", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<SightingView>> sightingStream() {
        return sightings.live().map(s -> Event.of(SightingView.of(s))
                .id(s.getSightingId() + "@" + s.getUpdatedAt().toEpochMilli()).name("sighting"));
    }

    @Get("/sightings/{sightingId}")
    public HttpResponse<?> sighting(@PathVariable String sightingId) {
        return sightings.get(sightingId).<HttpResponse<?>>map(s -> HttpResponse.ok(SightingView.of(s)))
                .orElseGet(() -> HttpResponse.notFound(new Problem("no recent sighting " + sightingId)));
    }

    /** The sighting's faces still indexed (its recent matches), oldest first, as the matcher's. */
    @Get("/sightings/{sightingId}/faces")
    public HttpResponse<?> sightingFaces(@PathVariable String sightingId) {
        if (sightings.get(sightingId).isEmpty()) {
            return HttpResponse.notFound(new Problem("no recent sighting " + sightingId));
        }
        return HttpResponse.ok(new FacePage(matches.facesOfTrack(sightingId).stream()
                .map(f -> new FaceRef(f, "/api/v1/faces/" + f + "/crop.png")).toList()));
    }

    /** The limit asked for, the default without one, or -1 when it is not a whole number in [1, max]. */
    private static int limit(@Nullable String limit, int max) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.strip());
            return n >= 1 && n <= max ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Problem limitProblem(String limit, int max) {
        return new Problem("'limit' must be a whole number from 1 to " + max + ", got '" + limit + "'");
    }
}
