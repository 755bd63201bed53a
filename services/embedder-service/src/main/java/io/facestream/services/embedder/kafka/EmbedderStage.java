package io.facestream.services.embedder.kafka;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.embed.EmbedderProcessor;
import io.facestream.pipeline.model.ActiveModelFollower;
import io.facestream.pipeline.stage.StageConfig;
import io.facestream.pipeline.stage.TransactionalStage;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.embedder.config.EmbedderConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;

/** Consumes {@code faces} in micro-batches and writes {@code embeddings}, exactly once. */
@Context
public class EmbedderStage {

    private final TransactionalStage stage;

    public EmbedderStage(PipelineConfig pipeline, EmbedderConfig config, Topics topics, ActiveModelFollower<CropEmbedder> embedder,
            MeterRegistry registry) {
        Timer batches = Timer.builder("facestream.stage.latency").tag("stage", EmbedderProcessor.STAGE)
                .publishPercentileHistogram().register(registry);
        EmbedderProcessor processor = new EmbedderProcessor(topics, embedder::current);
        stage = new TransactionalStage(new StageConfig(EmbedderProcessor.STAGE, pipeline.instanceId(),
                pipeline.kafka(ServicePrincipal.EMBEDDER), topics.faces().name(), config.maxBatch(), config.maxWait()),
                batch -> {
                    var outputs = batches.record(() -> processor.process(batch));
                    registry.counter("facestream.embeddings", "stage", EmbedderProcessor.STAGE)
                            .increment(outputs.stream().filter(o -> o.topic().equals(topics.embeddings().name())).count());
                    outputs.stream().filter(o -> o.topic().endsWith(".dlq")).forEach(o -> registry
                            .counter("facestream.dlq", "stage", EmbedderProcessor.STAGE, "kind", "rejected").increment());
                    return outputs;
                }).start();
        registry.gauge("facestream.consumer.lag", java.util.List.of(io.micrometer.core.instrument.Tag.of("stage",
                EmbedderProcessor.STAGE)), stage, TransactionalStage::lag);
    }

    @PreDestroy
    void stop() {
        stage.close();
    }
}
