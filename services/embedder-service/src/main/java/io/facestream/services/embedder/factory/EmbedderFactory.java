package io.facestream.services.embedder.factory;

import ai.djl.engine.Engine;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.embed.EmbedderProcessor;
import io.facestream.pipeline.model.ActiveModelFollower;
import io.facestream.pipeline.model.ModelDeadLetters;
import io.facestream.pipeline.model.TrustedModelStore;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.common.metrics.StageMetrics;
import io.facestream.services.embedder.config.EmbedderConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;

@Factory
public class EmbedderFactory {

    /** Model name of the embedding network on the {@code models} topic. */
    public static final String MODEL_NAME = MobileFaceNet.MODEL_NAME;
    private static final Duration START_WITHIN = Duration.ofSeconds(60);

    /**
     * The embedder currently ACTIVE on the {@code models} topic; until one is announced, the pre-trained
     * weights. A fine-tuned version is a DJL parameter file of the same network ({@code .tflite} files load
     * as the original), loaded only from the model store and only when the retrainer's signature verifies;
     * refused records go to {@code models.dlq} and count in {@code facestream.dlq}.
     */
    @Singleton
    @Bean(preDestroy = "close")
    ActiveModelFollower<CropEmbedder> activeEmbedder(PipelineConfig pipeline, Topics topics, FaceModels models,
            ModelDirectory dir, EmbedderConfig config, TrustedModelStore trust, MeterRegistry registry)
            throws InterruptedException {
        CropEmbedder initial = new CropEmbedder(new FaceEmbedder(models.mobileFaceNet(), config.maxBatch()),
                dir.embeddingModelVersion());
        ModelDeadLetters deadLetters = new ModelDeadLetters(pipeline.kafka(ServicePrincipal.EMBEDDER), topics, EmbedderProcessor.STAGE,
                kind -> StageMetrics.deadLetters(registry).deadLettered(EmbedderProcessor.STAGE, kind))
                .start(START_WITHIN);
        return new ActiveModelFollower<>(pipeline.kafka(ServicePrincipal.EMBEDDER), topics, MODEL_NAME, initial,
                dir.embeddingModelVersion(), trust, deadLetters, (version, artifact) -> new CropEmbedder(
                        new FaceEmbedder(MobileFaceNet.open(artifact, Engine.getEngine("PyTorch").defaultDevice()),
                                config.maxBatch()), version.getVersion())).start();
    }
}
