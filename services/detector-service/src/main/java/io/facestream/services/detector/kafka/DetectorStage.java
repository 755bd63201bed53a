package io.facestream.services.detector.kafka;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.detect.DetectorProcessor;
import io.facestream.pipeline.detect.FrameDetector;
import io.facestream.pipeline.detect.SkipReason;
import io.facestream.pipeline.stage.StageConfig;
import io.facestream.pipeline.stage.TransactionalStage;
import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.pipeline.topics.Topics;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.services.common.config.HealthConfig;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.common.metrics.StageMetrics;
import io.facestream.services.detector.config.DetectorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Consumes {@code frames} and runs the detector on them, exactly once, from start-up to shut-down. */
@Context
public class DetectorStage implements Monitored {

    private final TransactionalStage stage;

    public DetectorStage(PipelineConfig pipeline, DetectorConfig config, HealthConfig health, Topics topics,
            FrameDetector detector, MeterRegistry registry) {
        Timer latency = Timer.builder("facestream.stage.latency").tag("stage", DetectorProcessor.STAGE)
                .publishPercentileHistogram().register(registry);
        DetectorProcessor.StageListener metrics = new DetectorProcessor.StageListener() {
            @Override
            public void frame(int faces, long latencyMs) {
                registry.counter("facestream.frames", "stage", DetectorProcessor.STAGE).increment();
                registry.counter("facestream.faces", "stage", DetectorProcessor.STAGE).increment(faces);
                latency.record(latencyMs, TimeUnit.MILLISECONDS);
            }

            @Override
            public void skipped(String cameraId, SkipReason reason) {
                // Skipped frames are frames too: facestream_frames stays the count of frames accounted for.
                registry.counter("facestream.frames", "stage", DetectorProcessor.STAGE).increment();
                registry.counter("facestream.frames.skipped", "camera", cameraId, "reason", reason.wire())
                        .increment();
            }

            @Override
            public void belowQualityGate(int faces) {
                registry.counter("facestream.faces.below.quality.gate", "stage", DetectorProcessor.STAGE)
                        .increment(faces);
            }
            // dead letters are counted by the stage once committed (StageMetrics.deadLetters)
        };
        stage = new TransactionalStage(new StageConfig(DetectorProcessor.STAGE, pipeline.instanceId(),
                pipeline.kafka(ServicePrincipal.DETECTOR), topics.frames().name(), config.maxBatch(), config.maxWait(),
                FrameLimits.MAX_RECORD_BYTES).withRetries(health.processingRetries()),
                new DetectorProcessor(topics, detector, metrics), StageMetrics.deadLetters(registry)).start();
        StageMetrics.lag(registry, DetectorProcessor.STAGE, stage, topics.frames().partitions());
    }

    public long processedRecords() {
        return stage.processedRecords();
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
