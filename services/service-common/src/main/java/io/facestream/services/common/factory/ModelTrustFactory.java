package io.facestream.services.common.factory;

import io.facestream.pipeline.model.TrustedModelStore;
import io.facestream.services.common.config.ModelTrustConfig;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** What the services that load announced model versions (embedder, matcher enrollment) trust. */
@Factory
public class ModelTrustFactory {

    @Singleton
    TrustedModelStore trustedModelStore(ModelTrustConfig config) {
        return new TrustedModelStore(Path.of(config.store()), config.keys());
    }
}
