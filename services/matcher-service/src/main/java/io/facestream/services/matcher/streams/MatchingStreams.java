package io.facestream.services.matcher.streams;

import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.matching.gallery.GalleryReplica;
import io.facestream.matching.gallery.GalleryView;
import io.facestream.matching.topology.CameraSettings;
import io.facestream.matching.topology.MatchConfig;
import io.facestream.matching.topology.MatchingTopology;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.matcher.config.MatcherConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** Runs the matching topology with exactly-once (v2) processing for the life of the service. */
@Context
public class MatchingStreams {

    private final KafkaStreams streams;

    public MatchingStreams(PipelineConfig pipeline, MatcherConfig config, Topics topics, GalleryView gallery,
            GalleryReplica replica, CameraSettings cameras, Clock clock) {
        MatchConfig match = new MatchConfig(config.topK(), config.threshold(), config.cameraThresholds(),
                MobileFaceNet.EMBEDDING_SIZE);
        // the matcher's own login and every other common client setting, then the Streams settings
        Properties p = pipeline.kafka(ServicePrincipal.MATCHER).streams();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), "10000");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        streams = new KafkaStreams(MatchingTopology.build(topics, match, gallery, clock, cameras, replica::sync), p);
        // A failing record goes to the dead-letter topic inside the topology; anything else is infrastructure:
        // replace the thread and carry on rather than stop matching.
        streams.setUncaughtExceptionHandler(e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                .REPLACE_THREAD);
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @PreDestroy
    void stop() {
        streams.close(Duration.ofSeconds(10));
    }
}
