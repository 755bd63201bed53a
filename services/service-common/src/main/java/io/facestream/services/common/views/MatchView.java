package io.facestream.services.common.views;

import io.facestream.schema.Match;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** A match as JSON clients see it; {@code trackId} names the face's sighting (absent when not tracked). */
@Serdeable
public record MatchView(String faceId, String frameId, String cameraId, String capturedAt, String decision,
        List<CandidateView> candidates, double threshold, String modelVersion, long galleryVersion, String matchedAt,
        String thumbnailUrl, @Nullable String trackId) {

    @Serdeable
    public record CandidateView(String identityId, @Nullable String name, double score) {
    }

    public static MatchView of(Match m) {
        return new MatchView(m.getFaceId(), m.getFrameId(), m.getCameraId(), m.getCapturedAt().toString(),
                m.getDecision().name(),
                m.getCandidates().stream().map(c -> new CandidateView(c.getIdentityId(), c.getName(), c.getScore()))
                        .toList(),
                m.getThreshold(), m.getModelVersion(), m.getGalleryVersion(), m.getMatchedAt().toString(),
                "/api/v1/faces/" + m.getFaceId() + "/crop.png", m.getTrackId());
    }
}
