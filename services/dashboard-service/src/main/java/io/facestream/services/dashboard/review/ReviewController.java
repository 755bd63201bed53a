package io.facestream.services.dashboard.review;

import io.facestream.schema.Decision;
import io.facestream.schema.Match;
import io.facestream.services.common.security.Roles;
import io.facestream.services.dashboard.feedback.FeedbackController;
import io.facestream.services.matcher.http.MatchView;
import io.facestream.services.matcher.kafka.RecentMatches;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operators' queue: faces nobody recognised, and matches won by a small margin (the best candidate
 * barely above the threshold, or barely ahead of the second), most recent first, until labelled.
 */
@Controller("/api/v1/review")
@Secured({Roles.VIEWER, Roles.OPERATOR})
public class ReviewController {

    /** Cosine margin under which a KNOWN decision is worth a second look. */
    static final double LOW_MARGIN = 0.05;

    private final RecentMatches matches;
    private final FeedbackController feedback;

    public ReviewController(RecentMatches matches, FeedbackController feedback) {
        this.matches = matches;
        this.feedback = feedback;
    }

    /** A match, flattened, plus why it is in the queue. */
    @Serdeable
    public record ReviewItem(@JsonUnwrapped MatchView match, String reason, boolean labelled) {
    }

    @Get
    public List<ReviewItem> queue(@QueryValue @Nullable Integer limit) {
        int n = limit == null ? 50 : Math.max(1, Math.min(limit, 500));
        List<ReviewItem> out = new ArrayList<>();
        for (Match m : matches.latest(500)) {
            if (out.size() >= n) {
                break;
            }
            Optional<String> reason = reason(m);
            if (reason.isPresent() && !feedback.labelled(m.getFaceId())) {
                out.add(new ReviewItem(MatchView.of(m), reason.get(), false));
            }
        }
        return out;
    }

    static Optional<String> reason(Match m) {
        if (m.getDecision() == Decision.UNKNOWN) {
            return Optional.of("UNKNOWN");
        }
        double best = m.getCandidates().get(0).getScore();
        double second = m.getCandidates().size() > 1 ? m.getCandidates().get(1).getScore() : -1;
        return best - m.getThreshold() < LOW_MARGIN || best - second < LOW_MARGIN ? Optional.of("LOW_MARGIN")
                : Optional.empty();
    }
}
