package io.facestream.services.dashboard.feedback;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The feedback record written for one face, and the identity it names. */
@Serdeable
public record Recorded(String feedbackId, @Nullable String identityId) {
}
