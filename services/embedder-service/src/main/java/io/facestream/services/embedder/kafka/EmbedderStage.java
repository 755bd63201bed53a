package io.facestream.services.embedder.kafka;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.embed.EmbedderProcessor;
import io.facestream.pipeline.model.ActiveModelFollower;
import io.facestream.pipeline.stage.StageConfig;
import io.facestream.pipeline.stage.TransactionalStage;
import io.facestream.pipeline.topics.Topics;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.services.common.config.HealthConfig;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.common.metrics.StageMetrics;
import io.facestream.services.embedder.config.EmbedderConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.List;

/** Consumes {@code faces} in micro-batches and writes {@code embeddings}, exactly once. */
@Context
public class EmbedderStage implements Monitored {

    private final TransactionalStage stage;

    public EmbedderStage(PipelineConfig pipeline, EmbedderConfig config, HealthConfig health, Topics topics,
            ActiveModelFollower<CropEmbedder> embedder, MeterRegistry registry) {
        Timer batches = Timer.builder("facestream.stage.latency").tag("stage", EmbedderProcessor.STAGE)
                .publishPercentileHistogram().register(registry);
        EmbedderProcessor processor = new EmbedderProcessor(topics, embedder::current);
        stage = new TransactionalStage(new StageConfig(EmbedderProcessor.STAGE, pipeline.instanceId(),
                pipeline.kafka(ServicePrincipal.EMBEDDER), topics.faces().name(), config.maxBatch(), config.maxWait())
                .withRetries(health.processingRetries()),
                batch -> {
                    var outputs = batches.record(() -> processor.process(batch));
                    registry.counter("facestream.embeddings", "stage", EmbedderProcessor.STAGE)
                            .increment(outputs.stream().filter(o -> o.topic().equals(topics.embeddings().name())).count());
                    return outputs; // dead letters are counted by the stage once committed, with their reason
                }, StageMetrics.deadLetters(registry)).start();
        StageMetrics.lag(registry, EmbedderProcessor.STAGE, stage, topics.faces().partitions());
    }

    @Override
    public List<LoopStatus> loops() {
        return stage.loops();
    }

    @PreDestroy
    void stop() {
        stage.close();
    }
}
