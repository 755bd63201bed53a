package io.facestream.services.dashboard.review;

import io.facestream.pipeline.sightings.SightingReview;
import io.facestream.schema.Decision;
import io.facestream.schema.Match;
import io.facestream.schema.Sighting;
import io.facestream.services.dashboard.faces.RecentFaces;
import io.facestream.services.common.security.Roles;
import io.facestream.services.dashboard.feedback.FeedbackController;
import io.facestream.services.dashboard.feedback.Labeller;
import io.facestream.services.common.views.MatchView;
import io.facestream.services.common.views.SightingView;
import io.facestream.services.dashboard.feeds.MatchFeed;
import io.facestream.services.dashboard.feeds.SightingFeed;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The operators' queue, most recent first, until labelled: sightings (person-visits) nobody was recognised in
 * or won by a small aggregate margin ({@link SightingReview}); and single faces nobody recognised or matched by
 * a small margin (the best candidate barely above the threshold, or barely ahead of the second) that belong
 * to no sighting the dashboard knows — a tracked face is decided with its sighting.
 */
@Controller("/api/v1/review")
@Secured({Roles.VIEWER, Roles.OPERATOR})
public class ReviewController {

    /** Cosine margin under which a KNOWN decision is worth a second look (the same for faces and sightings). */
    static final double LOW_MARGIN = SightingReview.LOW_MARGIN;

    private final MatchFeed matches;
    private final SightingFeed sightings;
    private final RecentFaces faces;
    private final FeedbackController feedback;
    private final Labeller labeller;

    public ReviewController(MatchFeed matches, SightingFeed sightings, RecentFaces faces,
            FeedbackController feedback, Labeller labeller) {
        this.matches = matches;
        this.sightings = sightings;
        this.faces = faces;
        this.feedback = feedback;
        this.labeller = labeller;
    }

    /** A match, flattened, plus why it is in the queue. */
    @Serdeable
    public record ReviewItem(@JsonUnwrapped MatchView match, String reason, boolean labelled) {
    }

    /**
     * A sighting, flattened, plus why it is in the queue and how many of its faces a label would reach (those
     * whose crop and embedding the dashboard still has).
     */
    @Serdeable
    public record SightingReviewItem(@JsonUnwrapped SightingView sighting, String reason, int facesKept) {
    }

    @Get("/sightings")
    public List<SightingReviewItem> sightingQueue(@QueryValue @Nullable Integer limit) {
        int n = limit == null ? 50 : Math.max(1, Math.min(limit, 500));
        List<SightingReviewItem> out = new ArrayList<>();
        for (Sighting s : sightings.latest(1000)) {
            if (out.size() >= n) {
                break;
            }
            Optional<SightingReview.Reason> reason = SightingReview.reason(s);
            if (reason.isEmpty() || labeller.sightingLabelled(s.getSightingId())) {
                continue;
            }
            // faces still kept and not labelled one by one: a sighting with none left needs no decision
            int kept = (int) matches.facesOfTrack(s.getSightingId()).stream()
                    .filter(f -> faces.get(f).isPresent() && !labeller.faceLabelled(f)).count();
            if (kept > 0) {
                out.add(new SightingReviewItem(SightingView.of(s), reason.get().name(), kept));
            }
        }
        return out;
    }

    @Get
    public List<ReviewItem> queue(@QueryValue @Nullable Integer limit) {
        int n = limit == null ? 50 : Math.max(1, Math.min(limit, 500));
        List<ReviewItem> out = new ArrayList<>();
        List<Match> recent = matches.latest(500);
        // By face, not by match: a face matched again (a replay) with its track id is still its sighting's.
        Set<String> inSightings = new HashSet<>();
        for (Match m : recent) {
            if (m.getTrackId() != null && sightings.get(m.getTrackId()).isPresent()) {
                inSightings.add(m.getFaceId());
            }
        }
        for (Match m : recent) {
            if (out.size() >= n) {
                break;
            }
            Optional<String> reason = reason(m);
            if (reason.isPresent() && !inSightings.contains(m.getFaceId()) && !feedback.labelled(m.getFaceId())) {
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
