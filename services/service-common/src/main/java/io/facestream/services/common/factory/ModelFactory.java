package io.facestream.services.common.factory;

import io.facestream.inference.model.DetectorEngine;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * The verified models (loaded once) and the image decoder, for the services that run a model. face-inference is an
 * optional dependency of service-common: a service that runs no model (ingest, dashboard) does not carry it, nor
 * libtorch and OpenCV with it, and this factory is then left out.
 */
@Factory
@Requires(classes = {FaceModels.class, ImageDecoder.class})
public class ModelFactory {

    @Singleton
    ModelDirectory modelDirectory(PipelineConfig config) {
        return ModelDirectory.open(Path.of(config.modelDir()));
    }

    @Singleton
    @Bean(preDestroy = "close")
    FaceModels faceModels(ModelDirectory dir, PipelineConfig config) {
        return FaceModels.load(dir, DetectorEngine.parse(config.detectorEngine()), config.detectorThreads());
    }

    @Singleton
    ImageDecoder imageDecoder(PipelineConfig config) {
        return new ImageDecoder(new DecodeLimits(config.maxPixels(), DecodeLimits.DEFAULT_MAX_BYTES));
    }
}
