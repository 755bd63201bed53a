package io.facestream.services.matcher.streams;

import io.facestream.core.track.TrackDecision;
import io.facestream.core.track.TrackerConfig;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.matching.gallery.GalleryReplica;
import io.facestream.matching.gallery.GalleryView;
import io.facestream.matching.topology.CameraSettings;
import io.facestream.matching.topology.MatchConfig;
import io.facestream.matching.topology.MatchingTopology;
import io.facestream.matching.topology.TrackConfig;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.matcher.config.MatcherConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * Runs the matching topology (matching, tracking, sightings) with exactly-once (v2) processing for the life of
 * the service. The tracker state is a persistent store under {@code state-dir}, changelogged to the broker.
 */
@Context
public class MatchingStreams {

    /** Aggregate candidates a track keeps, per candidate reported: room for faces whose top-k differ a little. */
    private static final int TRACK_CANDIDATES_PER_TOP_K = 3;

    /** A fresh topology per Kafka Streams client (building it is a pure function, and cheap). */
    private final Supplier<Topology> topology;
    private final Properties properties;
    /** Replaced by {@link #restartFromChangelog()}; read by other threads ({@link #state()}). */
    private volatile KafkaStreams streams;

    public MatchingStreams(PipelineConfig pipeline, MatcherConfig config, Topics topics, GalleryView gallery,
            GalleryReplica replica, CameraSettings cameras, Clock clock) {
        MatchConfig match = new MatchConfig(config.topK(), config.threshold(), config.cameraThresholds(),
                MobileFaceNet.EMBEDDING_SIZE);
        TrackConfig tracks = new TrackConfig(new TrackerConfig(config.trackMinIou(), config.trackMinSimilarity(),
                config.trackMinSimilarityWithoutOverlap(), config.trackMaxGap().toMillis(), config.trackMaxOpen(),
                TRACK_CANDIDATES_PER_TOP_K * config.topK()),
                new TrackDecision(config.trackThreshold(), config.trackMinFaces(), config.trackMinMargin(),
                        config.topK()),
                config.trackQuietClose().toMillis(), TrackConfig.DEFAULT_PUNCTUATE_INTERVAL_MS);
        // the matcher's own login and every other common client setting, then the Streams settings
        Properties p = pipeline.kafka(ServicePrincipal.MATCHER).streams();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), "10000");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        topology = () -> MatchingTopology.build(topics, match, tracks, gallery, clock, cameras, replica::sync);
        properties = p;
        streams = start(false);
    }

    private KafkaStreams start(boolean wipeLocalState) {
        KafkaStreams s = new KafkaStreams(topology.get(), properties);
        // A failing record goes to the dead-letter topic inside the topology; anything else is infrastructure:
        // replace the thread and carry on rather than stop matching.
        s.setUncaughtExceptionHandler(e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                .REPLACE_THREAD);
        if (wipeLocalState) {
            s.cleanUp();
        }
        s.start();
        return s;
    }

    /**
     * Stops the matcher's Kafka Streams client, deletes its local state and starts a new one, as when the matcher
     * moves to a new host: the tracks it resumes come from the store's changelog, and exactly-once keeps every
     * match and sighting written once. For operations (a corrupted state directory) and the restart tests.
     */
    public synchronized void restartFromChangelog() {
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(10)));
        streams = start(true);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @PreDestroy
    synchronized void stop() {
        streams.close(Duration.ofSeconds(10));
    }
}
