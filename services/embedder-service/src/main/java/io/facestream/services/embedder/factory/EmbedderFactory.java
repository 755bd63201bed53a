package io.facestream.services.embedder.factory;

import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.services.embedder.config.EmbedderConfig;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

@Factory
public class EmbedderFactory {

    @Singleton
    CropEmbedder cropEmbedder(FaceModels models, ModelDirectory dir, EmbedderConfig config) {
        return new CropEmbedder(new FaceEmbedder(models.mobileFaceNet(), config.maxBatch()),
                dir.embeddingModelVersion());
    }
}
