package io.facestream.services.matcher.http;

import io.facestream.services.common.security.Roles;
import io.facestream.services.common.views.MatchView;
import io.facestream.services.matcher.kafka.RecentMatches;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.security.annotation.Secured;
import java.util.List;
import org.reactivestreams.Publisher;

/** Matches out: the most recent ones, and a live stream of server-sent events. */
@Controller("/api/v1/matches")
@Secured({Roles.VIEWER, Roles.OPERATOR})
public class MatchesController {

    private static final int MAX_LIMIT = 500;

    private final RecentMatches matches;

    public MatchesController(RecentMatches matches) {
        this.matches = matches;
    }

    @Get
    public HttpResponse<List<MatchView>> recent(@QueryValue @Nullable Integer limit) {
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > MAX_LIMIT) {
            return HttpResponse.badRequest();
        }
        return HttpResponse.ok(matches.latest(n).stream().map(MatchView::of).toList());
    }

    @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<MatchView>> stream() {
        return matches.live().map(m -> Event.of(MatchView.of(m)).id(m.getFaceId()).name("match"));
    }
}
