package io.facestream.services.retrainer.gallery;

import ai.djl.engine.Engine;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.model.ModelCatalog;
import io.facestream.retraining.gallery.GalleryMigration;
import io.facestream.retraining.job.RetrainJobs;
import io.facestream.schema.ModelVersion;
import io.facestream.services.retrainer.config.RetrainerConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gallery whole under the serving version: a sample added under an older version after a rollout
 * (a face embedded just before the switch and enrolled later) gets its twin under the active version.
 */
@Context
public class GalleryReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryReconciler.class);

    private final ModelCatalog catalog;
    private final GalleryMigration gallery;
    private final RetrainJobs jobs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gallery-reconciler");
        t.setDaemon(true);
        return t;
    });
    private CropEmbedder embedder;

    public GalleryReconciler(RetrainerConfig config, ModelCatalog catalog, GalleryMigration gallery,
            RetrainJobs jobs) {
        this.catalog = catalog;
        this.gallery = gallery;
        this.jobs = jobs;
        long every = config.reconcileEvery().toMillis();
        timer.scheduleWithFixedDelay(this::reconcile, every, every, TimeUnit.MILLISECONDS);
    }

    private void reconcile() {
        ModelVersion active = catalog.active().orElse(null);
        if (active == null || jobs.running().isPresent()) {
            return; // the pre-trained model serves (nothing to copy), or a rollout is migrating right now
        }
        try {
            if (embedder == null || !embedder.modelVersion().equals(active.getVersion())) {
                Path artifact;
                try {
                    artifact = catalog.artifact(active);
                } catch (RejectedRecordException e) {
                    LOG.error("active version {} is not loaded ({}): {}", active.getVersion(), e.kind(),
                            e.getMessage());
                    return;
                }
                embedder = new CropEmbedder(new FaceEmbedder(MobileFaceNet.open(artifact,
                        Engine.getEngine("PyTorch").defaultDevice()), 32), active.getVersion());
            }
            int written = gallery.migrate(embedder);
            if (written > 0) {
                LOG.info("{} gallery samples re-embedded under the active version {}", written, active.getVersion());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("gallery reconciliation failed, retried in the next round: {}", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
