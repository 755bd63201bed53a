package io.facestream.services.common.views;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.facestream.schema.Sighting;
import io.facestream.services.common.views.MatchView.CandidateView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A sighting (one person-visit) as JSON clients see it. {@code thumbnailUrl} is the best face's crop;
 * {@code frameUrl} the frame it was found in, while the dashboard can still fetch it (404 otherwise), with
 * {@code bestBox} in that frame's pixels.
 */
@Serdeable
public record SightingView(String sightingId, String cameraId, String state, String firstSeenAt, String lastSeenAt,
        long durationMs, int faceCount, String decision, @Nullable String identityId, @Nullable String name,
        double score, double margin, @JsonInclude(JsonInclude.Include.ALWAYS) List<CandidateView> candidates, String bestFaceId, String bestFrameId,
        BoxView bestBox, float bestQuality, String modelVersion, String updatedAt, String thumbnailUrl,
        String frameUrl, String facesUrl) {

    /** A box in frame pixels: left, top, right, bottom. */
    @Serdeable
    public record BoxView(float x1, float y1, float x2, float y2) {
    }

    public static SightingView of(Sighting s) {
        return new SightingView(s.getSightingId(), s.getCameraId(), s.getState().name(), s.getFirstSeenAt().toString(),
                s.getLastSeenAt().toString(), s.getLastSeenAt().toEpochMilli() - s.getFirstSeenAt().toEpochMilli(),
                s.getFaceCount(), s.getDecision().name(), s.getIdentityId(), s.getName(), s.getScore(), s.getMargin(),
                s.getCandidates().stream().map(c -> new CandidateView(c.getIdentityId(), c.getName(), c.getScore()))
                        .toList(),
                s.getBestFaceId(), s.getBestFrameId(),
                new BoxView(s.getBestBox().getX1(), s.getBestBox().getY1(), s.getBestBox().getX2(),
                        s.getBestBox().getY2()),
                s.getBestQuality(), s.getModelVersion(), s.getUpdatedAt().toString(),
                "/api/v1/faces/" + s.getBestFaceId() + "/crop.png", "/api/v1/frames/" + s.getBestFrameId() + "/image",
                "/api/v1/sightings/" + s.getSightingId() + "/faces");
    }
}
