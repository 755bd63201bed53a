package io.facestream.services.dashboard.feedback;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A sighting's label: one feedback record per face of it that was still kept.
 *
 * @param feedback per face, in the order of the sighting's faces
 * @param facesNotKept faces of the sighting the dashboard no longer has (they cannot be labelled)
 */
@Serdeable
public record SightingRecorded(String sightingId, @Nullable String identityId, List<FaceFeedback> feedback,
        int facesNotKept) {

    public SightingRecorded {
        feedback = List.copyOf(feedback);
    }

    @Serdeable
    public record FaceFeedback(String faceId, String feedbackId) {
    }
}
