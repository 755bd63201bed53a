package io.facestream.services.matcher.factory;

import io.facestream.core.gallery.GalleryIndexStore;
import io.facestream.galleryindex.hnsw.HnswGalleryStore;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.pipeline.gallery.GalleryReplica;
import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.matching.topology.CameraSettings;
import io.facestream.matching.topology.CameraSettingsReplica;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.erasure.FaceErasures;
import io.facestream.pipeline.gallery.GalleryWriter;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.matcher.config.GalleryIndexConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;

@Factory
public class MatcherFactory {

    /** One index per model version: exact below {@code exact-below} samples, HNSW above, persisted if configured. */
    @Singleton
    @Bean(preDestroy = "close")
    GalleryIndexStore galleryIndexStore(GalleryIndexConfig config) {
        return new HnswGalleryStore(config.folder(), MobileFaceNet.EMBEDDING_SIZE, config.settings(), config.exactBelow());
    }

    @Singleton
    GalleryView galleryView(GalleryIndexStore store) {
        return new GalleryView(store);
    }

    /** Started and caught up before anything matches, so the first matches already see the whole gallery. */
    @Singleton
    @Bean(preDestroy = "close")
    GalleryReplica galleryReplica(PipelineConfig config, GalleryIndexConfig index, Topics topics, GalleryView view)
            throws InterruptedException {
        GalleryReplica replica = new GalleryReplica(config.kafka(ServicePrincipal.MATCHER), topics, view,
                index.commitInterval()).start();
        if (!replica.awaitCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("gallery replica did not catch up within 60 s");
        }
        return replica;
    }

    /** Writes identities and samples; each write returns once this instance's view shows it (read your writes). */
    @Singleton
    @Bean(preDestroy = "close")
    GalleryWriter galleryWriter(PipelineConfig config, Topics topics, GalleryView view) {
        return new GalleryWriter(config.kafka(ServicePrincipal.MATCHER), topics, view);
    }

    /**
     * Caught up with the {@code cameras} topic before anything matches, so an operator's threshold applies from
     * the first face after a restart; then followed, so a change made through any instance reaches this one.
     */
    @Singleton
    @Bean(preDestroy = "close")
    CameraSettingsReplica cameraSettingsReplica(PipelineConfig config, Topics topics) throws InterruptedException {
        CameraSettingsReplica replica = new CameraSettingsReplica(config.kafka(ServicePrincipal.MATCHER), topics,
                new CameraSettings()).start();
        if (!replica.awaitCaughtUp(Duration.ofSeconds(60))) {
            replica.close();
            throw new IllegalStateException("camera settings replica did not catch up within 60 s");
        }
        return replica;
    }

    @Singleton
    CameraSettings cameraSettings(CameraSettingsReplica replica) {
        return replica.settings();
    }

    /**
     * The faces erasures removed, read whole before the history and the clusters replay any face (README,
     * "Search"), so an erased face is left out from the first record.
     */
    @Singleton
    @Bean(preDestroy = "close")
    FaceErasures faceErasures(PipelineConfig config, Topics topics) throws InterruptedException {
        return FaceErasures.load(config.kafka(ServicePrincipal.MATCHER), topics, FaceErasures.MAX_MARKED,
                Duration.ofSeconds(60));
    }
}
