package io.facestream.services.retrainer.kafka;

import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.stage.StageConfig;
import io.facestream.pipeline.stage.TransactionalStage;
import io.facestream.pipeline.topics.Topics;
import io.facestream.retraining.crops.CropCache;
import io.facestream.retraining.crops.RecentCrops;
import io.facestream.retraining.dataset.FeedbackDataset;
import io.facestream.retraining.dataset.FeedbackProcessor;
import io.facestream.retraining.job.RetrainJobs;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.retrainer.config.RetrainerConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retrainer's inputs: labels from {@code feedback} (exactly once, a transactional stage whose only
 * outputs are dead letters), the crops they refer to from {@code faces}, enrollment crops and erasures from
 * {@code gallery} and {@code identities}; and the feedback trigger, which starts a job once enough new faces
 * were labelled.
 */
@Context
public class FeedbackStage {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackStage.class);

    private final FeedbackDataset dataset;
    private final RetrainJobs jobs;
    private final RetrainerConfig config;
    private final Topics topics;
    private final RecentCrops crops;
    private final TopicFollower enrollments;
    private final TransactionalStage stage;
    private final ScheduledExecutorService trigger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retrain-trigger");
        t.setDaemon(true);
        return t;
    });

    public FeedbackStage(PipelineConfig pipeline, RetrainerConfig config, Topics topics, FeedbackDataset dataset,
            RetrainJobs jobs) throws InterruptedException {
        this.dataset = dataset;
        this.jobs = jobs;
        this.config = config;
        this.topics = topics;
        this.crops = new RecentCrops(pipeline.bootstrapServers(), topics, new CropCache(config.cropCacheBytes()),
                config.cropLookBack(), Duration.ofSeconds(10)).start();
        // Erasures must be known before any label is applied, so a replayed label cannot bring a face back.
        this.enrollments = new TopicFollower("retrainer-enrollments", pipeline.bootstrapServers(),
                List.of(topics.identities().name(), topics.gallery().name()), -1, this::enrollment).start();
        if (!enrollments.awaitCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the gallery was not read within 60 s");
        }
        this.stage = new TransactionalStage(new StageConfig(FeedbackProcessor.STAGE, pipeline.instanceId(),
                pipeline.bootstrapServers(), topics.feedback().name(), 64, Duration.ofMillis(200)),
                new FeedbackProcessor(topics, dataset, crops::crop)).start();
        if (config.retrainAfterFeedback() > 0) {
            trigger.scheduleWithFixedDelay(this::maybeRetrain, 1, 1, TimeUnit.SECONDS);
        }
    }

    private void maybeRetrain() {
        long labelled = dataset.labelledSinceTraining();
        if (labelled >= config.retrainAfterFeedback() && jobs.running().isEmpty()) {
            jobs.start("feedback:" + labelled)
                    .ifPresent(job -> LOG.info("{} faces labelled since the last training: job {}", labelled, job.id()));
        }
    }

    private void enrollment(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(topics.identities().name())) {
                if (r.value() == null) {
                    dataset.erase(r.key());
                }
            } else if (r.value() != null) {
                dataset.addEnrollment(topics.gallery().decode(r.value()));
            }
        } catch (RejectedRecordException e) {
            LOG.warn("skipping undecodable {} record at offset {}: {}", r.topic(), r.offset(), e.getMessage());
        } catch (IOException e) {
            LOG.error("cannot store the {} record at offset {} in the labelled faces", r.topic(), r.offset(), e);
        }
    }

    /** Feedback records processed (applied or dead-lettered) since start. */
    public long processedRecords() {
        return stage.processedRecords();
    }

    @PreDestroy
    void stop() {
        trigger.shutdownNow();
        stage.close();
        enrollments.close();
        crops.close();
    }
}
