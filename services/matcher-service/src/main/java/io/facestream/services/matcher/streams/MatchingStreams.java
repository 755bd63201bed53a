package io.facestream.services.matcher.streams;

import io.facestream.core.track.TrackDecision;
import io.facestream.core.track.TrackerConfig;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.matching.errors.StreamsDeadLetters;
import io.facestream.pipeline.gallery.GalleryReplica;
import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.matching.topology.CameraSettings;
import io.facestream.matching.topology.MatchConfig;
import io.facestream.matching.topology.MatchingTopology;
import io.facestream.matching.topology.TrackConfig;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.deadletter.DeadLetterListener;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.kafka.GroupLag;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.common.metrics.StageMetrics;
import io.facestream.services.matcher.config.MatcherConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the matching topology (matching, tracking, sightings) with exactly-once (v2) processing for the life of
 * the service. The tracker state is a persistent store under {@code state-dir}, changelogged to the broker.
 * Reports its health, its consumer lag per partition ({@code facestream_consumer_lag{stage="matcher"}}) and its
 * dead letters ({@code facestream_dlq{stage="matcher"}}).
 */
@Context
public class MatchingStreams implements Monitored {

    public static final String STAGE = "matcher";
    private static final Logger LOG = LoggerFactory.getLogger(MatchingStreams.class);
    private static final Duration LAG_INTERVAL = Duration.ofSeconds(5);

    /** Aggregate candidates a track keeps, per candidate reported: room for faces whose top-k differ a little. */
    private static final int TRACK_CANDIDATES_PER_TOP_K = 3;

    /** A fresh topology per Kafka Streams client (building it is a pure function, and cheap). */
    private final Supplier<Topology> topology;
    private final Properties properties;
    /** Replaced by {@link #restartFromChangelog()}; read by other threads ({@link #state()}, {@link #loops()}). */
    private volatile KafkaStreams streams;
    private final StreamsSupervisor supervisor = new StreamsSupervisor("matcher-streams");
    private final GroupLag groupLag;
    private final ScheduledExecutorService lagTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "matcher-lag");
        t.setDaemon(true);
        return t;
    });
    private volatile Map<Integer, Long> lag = Map.of();

    public MatchingStreams(PipelineConfig pipeline, MatcherConfig config, Topics topics, GalleryView gallery,
            GalleryReplica replica, CameraSettings cameras, Clock clock, MeterRegistry registry) {
        MatchConfig match = new MatchConfig(config.topK(), config.threshold(), config.cameraThresholds(),
                MobileFaceNet.EMBEDDING_SIZE);
        TrackConfig tracks = new TrackConfig(new TrackerConfig(config.trackMinIou(), config.trackMinSimilarity(),
                config.trackMinSimilarityWithoutOverlap(), config.trackMaxGap().toMillis(), config.trackMaxOpen(),
                TRACK_CANDIDATES_PER_TOP_K * config.topK()),
                new TrackDecision(config.trackThreshold(), config.trackMinFaces(), config.trackMinMargin(),
                        config.topK()),
                config.trackQuietClose().toMillis(), TrackConfig.DEFAULT_PUNCTUATE_INTERVAL_MS);
        DeadLetterListener deadLetters = StageMetrics.deadLetters(registry);
        // the matcher's own login and every other common client setting, then the Streams settings
        Properties p = pipeline.kafka(ServicePrincipal.MATCHER).streams();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), "10000");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        // A record whose output cannot be written or whose input cannot be read goes to embeddings.dlq instead of
        // failing its task (the topology bounds its outputs itself: MatchBounds).
        StreamsDeadLetters.install(p, STAGE, deadLetters);
        topology = () -> MatchingTopology.build(topics, match, tracks, gallery, clock, cameras, replica::sync,
                deadLetters);
        properties = p;
        // the lag is read as the matcher's principal too: DESCRIBE on its group and on embeddings (AccessPolicy)
        groupLag = new GroupLag(pipeline.kafka(ServicePrincipal.MATCHER), config.applicationId(),
                topics.embeddings().name(), topics.partitions(), Duration.ofSeconds(5));
        for (int partition = 0; partition < topics.partitions(); partition++) {
            int p0 = partition;
            registry.gauge(StageMetrics.CONSUMER_LAG, List.of(io.micrometer.core.instrument.Tag.of("stage", STAGE),
                    io.micrometer.core.instrument.Tag.of("partition", Integer.toString(partition))), this,
                    s -> s.lag.getOrDefault(p0, 0L));
        }
        lagTimer.scheduleWithFixedDelay(this::measureLag, 1, LAG_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        streams = start(false);
    }

    private KafkaStreams start(boolean wipeLocalState) {
        KafkaStreams s = new KafkaStreams(topology.get(), properties);
        // Anything else is infrastructure: replace the thread, a bounded number of times (StreamsSupervisor).
        s.setUncaughtExceptionHandler(supervisor);
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

    /** Records of {@code embeddings} not yet committed by the matcher's group, per partition (all instances). */
    public Map<Integer, Long> lag() {
        return lag;
    }

    @Override
    public List<LoopStatus> loops() {
        return List.of(supervisor.status(streams.state()));
    }

    private void measureLag() {
        try {
            lag = Map.copyOf(groupLag.measure());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // caught, or the scheduler would silently stop measuring; the gauge keeps its last value
            LOG.debug("matcher lag not measured: {}", e.toString());
        }
    }

    @PreDestroy
    synchronized void stop() {
        lagTimer.shutdownNow();
        streams.close(Duration.ofSeconds(10));
        groupLag.close();
    }
}
