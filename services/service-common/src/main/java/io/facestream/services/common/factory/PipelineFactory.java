package io.facestream.services.common.factory;

import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Beans every service uses: the topic registry and the clock. The models are {@link ModelFactory}'s. */
@Factory
public class PipelineFactory {

    @Singleton
    Topics topics(PipelineConfig config) {
        return new Topics(config.partitions());
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
