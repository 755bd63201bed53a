package io.facestream.services.dashboard.feedback;

import io.facestream.schema.Feedback;

/** Where operators' feedback records go ({@link FeedbackWriter}: the {@code feedback} topic); returns once kept. */
public interface FeedbackSink {

    void write(Feedback feedback);
}
