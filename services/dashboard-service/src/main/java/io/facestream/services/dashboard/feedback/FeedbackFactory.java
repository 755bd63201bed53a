package io.facestream.services.dashboard.feedback;

import io.facestream.services.common.config.PipelineConfig;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the feedback rules ({@link Labeller}) to the matcher ({@link Gallery}) and the {@code feedback} topic. */
@Factory
public class FeedbackFactory {

    @Singleton
    Labeller labeller(Gallery gallery, FeedbackSink writer, Clock clock, PipelineConfig pipeline) {
        return new Labeller(gallery, writer, clock, pipeline.enrollmentGate());
    }
}
