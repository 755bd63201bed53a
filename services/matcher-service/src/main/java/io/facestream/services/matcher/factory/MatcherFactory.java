package io.facestream.services.matcher.factory;

import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.matching.gallery.GalleryReplica;
import io.facestream.matching.gallery.GalleryView;
import io.facestream.matching.topology.CameraSettings;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;

@Factory
public class MatcherFactory {

    @Singleton
    GalleryView galleryView() {
        return new GalleryView(MobileFaceNet.EMBEDDING_SIZE);
    }

    /** Started and caught up before anything matches, so the first matches already see the whole gallery. */
    @Singleton
    @Bean(preDestroy = "close")
    GalleryReplica galleryReplica(PipelineConfig config, Topics topics, GalleryView view) throws InterruptedException {
        GalleryReplica replica = new GalleryReplica(config.kafka(ServicePrincipal.MATCHER), topics, view).start();
        if (!replica.awaitCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("gallery replica did not catch up within 60 s");
        }
        return replica;
    }

    @Singleton
    CameraSettings cameraSettings() {
        return new CameraSettings();
    }
}
