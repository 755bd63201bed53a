package io.facestream.services.retrainer.kafka;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.stage.StageConfig;
import io.facestream.pipeline.stage.TransactionalStage;
import io.facestream.pipeline.topics.Topics;
import io.facestream.retraining.crops.CropCache;
import io.facestream.retraining.crops.RecentCrops;
import io.facestream.retraining.dataset.FeedbackDataset;
import io.facestream.retraining.dataset.FeedbackProcessor;
import io.facestream.retraining.gallery.GalleryMigration;
import io.facestream.retraining.job.RetrainJobs;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.services.common.config.HealthConfig;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.common.metrics.StageMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.facestream.services.retrainer.config.RetrainerConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retrainer's inputs: labels from {@code feedback} (exactly once, a transactional stage whose only
 * outputs are dead letters) and the crops they refer to from {@code faces} (enrollment crops and erasures
 * reach the dataset through {@link GalleryMigration}); and the feedback trigger, which starts a job once enough new faces
 * were labelled.
 */
@Context
public class FeedbackStage implements Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackStage.class);

    private final FeedbackDataset dataset;
    private final RetrainJobs jobs;
    private final RetrainerConfig config;
    private final RecentCrops crops;
    private final TransactionalStage stage;
    private final ScheduledExecutorService trigger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retrain-trigger");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param gallery started (caught up) before labels are applied: it feeds enrollment crops and erasures
     *     to the dataset, and a replayed label must not bring an erased person's face back
     */
    public FeedbackStage(PipelineConfig pipeline, RetrainerConfig config, HealthConfig health, Topics topics,
            FeedbackDataset dataset, RetrainJobs jobs, GalleryMigration gallery, MeterRegistry registry) {
        this.dataset = dataset;
        this.jobs = jobs;
        this.config = config;
        this.crops = new RecentCrops(pipeline.kafka(ServicePrincipal.RETRAINER), topics, new CropCache(config.cropCacheBytes()),
                config.cropLookBack(), Duration.ofSeconds(10)).start();
        this.stage = new TransactionalStage(new StageConfig(FeedbackProcessor.STAGE, pipeline.instanceId(),
                pipeline.kafka(ServicePrincipal.RETRAINER), topics.feedback().name(), 64, Duration.ofMillis(200))
                .withRetries(health.processingRetries()),
                new FeedbackProcessor(topics, dataset, crops::crop, pipeline.enrollmentGate()),
                StageMetrics.deadLetters(registry)).start();
        StageMetrics.lag(registry, FeedbackProcessor.STAGE, stage, topics.feedback().partitions());
        if (config.retrainAfterFeedback() > 0) {
            trigger.scheduleWithFixedDelay(this::maybeRetrain, 1, 1, TimeUnit.SECONDS);
        }
    }

    private void maybeRetrain() {
        try {
            long labelled = dataset.labelledSinceTraining();
            if (labelled >= config.retrainAfterFeedback() && jobs.running().isEmpty()) {
                jobs.start("feedback:" + labelled).ifPresent(job -> LOG.info(
                        "{} faces labelled since the last training: job {}", labelled, job.id()));
            }
        } catch (RuntimeException e) {
            // an exception escaping a scheduled task silently cancels every later run: log it, try next second
            LOG.error("retraining trigger failed; trying again in a second", e);
        }
    }

    /** Feedback records processed (applied or dead-lettered) since start. */
    public long processedRecords() {
        return stage.processedRecords();
    }

    /** The feedback stage and the crops follower, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        List<LoopStatus> loops = new ArrayList<>(stage.loops());
        loops.addAll(crops.loops());
        return loops;
    }

    @PreDestroy
    void stop() {
        trigger.shutdownNow();
        stage.close();
        crops.close();
    }
}
