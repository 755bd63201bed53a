package io.facestream.services.common.factory;

import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;

/** Beans every service uses: the topic registry, the verified models (loaded once), the image decoder. */
@Factory
public class PipelineFactory {

    @Singleton
    Topics topics(PipelineConfig config) {
        return new Topics(config.partitions());
    }

    @Singleton
    ModelDirectory modelDirectory(PipelineConfig config) {
        return ModelDirectory.open(Path.of(config.modelDir()));
    }

    @Singleton
    @Bean(preDestroy = "close")
    FaceModels faceModels(ModelDirectory dir) {
        return FaceModels.load(dir);
    }

    @Singleton
    ImageDecoder imageDecoder(PipelineConfig config) {
        return new ImageDecoder(new DecodeLimits(config.maxPixels(), DecodeLimits.DEFAULT_MAX_BYTES));
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
