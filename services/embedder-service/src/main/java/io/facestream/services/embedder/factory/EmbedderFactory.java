package io.facestream.services.embedder.factory;

import ai.djl.engine.Engine;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.model.ActiveModelFollower;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.embedder.config.EmbedderConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

@Factory
public class EmbedderFactory {

    /** Model name of the embedding network on the {@code models} topic. */
    public static final String MODEL_NAME = MobileFaceNet.MODEL_NAME;

    /**
     * The embedder currently ACTIVE on the {@code models} topic; until one is announced, the pre-trained
     * weights. A fine-tuned version is a DJL parameter file of the same network ({@code .tflite} files load
     * as the original).
     */
    @Singleton
    @Bean(preDestroy = "close")
    ActiveModelFollower<CropEmbedder> activeEmbedder(PipelineConfig pipeline, Topics topics, FaceModels models,
            ModelDirectory dir, EmbedderConfig config) {
        CropEmbedder initial = new CropEmbedder(new FaceEmbedder(models.mobileFaceNet(), config.maxBatch()),
                dir.embeddingModelVersion());
        return new ActiveModelFollower<>(pipeline.kafka(ServicePrincipal.EMBEDDER), topics, MODEL_NAME, initial,
                dir.embeddingModelVersion(), (version, artifact) -> new CropEmbedder(new FaceEmbedder(
                        MobileFaceNet.open(artifact, Engine.getEngine("PyTorch").defaultDevice()), config.maxBatch()),
                        version.getVersion())).start();
    }
}
