package io.facestream.services.dashboard.feedback;

import io.facestream.services.dashboard.feedback.SightingRecorded.FaceFeedback;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A cluster's name: the identity, one feedback record per face of it, and how many of its best faces joined
 * the gallery.
 */
@Serdeable
public record ClusterRecorded(String clusterId, String identityId, List<FaceFeedback> feedback, int gallerySamples) {

    public ClusterRecorded {
        feedback = List.copyOf(feedback);
    }
}
