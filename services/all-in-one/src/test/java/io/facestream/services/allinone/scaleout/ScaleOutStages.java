package io.facestream.services.allinone.scaleout;

import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedModels;
import io.facestream.pipeline.gallery.GalleryReplica;
import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.matching.topology.CameraSettings;
import io.facestream.matching.topology.GallerySync;
import io.facestream.matching.topology.MatchConfig;
import io.facestream.matching.topology.MatchingTopology;
import io.facestream.pipeline.detect.DetectorProcessor;
import io.facestream.pipeline.detect.FrameDetector;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.embed.EmbedderProcessor;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.stage.BatchProcessor;
import io.facestream.pipeline.stage.StageConfig;
import io.facestream.pipeline.stage.TransactionalStage;
import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.pipeline.topics.Topics;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * The pipeline's three stages as the scale-out test runs them, built the same way whether an instance lives in
 * the test JVM or in a child JVM ({@link StageProcess}): the detector and embedder as {@link TransactionalStage}s of
 * consumer groups {@code detector} and {@code embedder}, the matcher as a Kafka Streams application under
 * exactly-once v2. Instances of a stage differ only in their instance id (the transactional id) and state dir.
 */
final class ScaleOutStages {

    /** Four partitions: two instances of a stage own two each. */
    static final Topics TOPICS = new Topics(4);
    /** Embedder and enrollment must agree on the model version, or nothing matches. */
    static final String MODEL = "mobilefacenet-scaleout";
    static final String MATCHER_APP = "scaleout-matcher";
    /** The matcher service's defaults (MatcherConfig): top 5, threshold 0.50. */
    static final MatchConfig MATCH = new MatchConfig(5, 0.50, Map.of(), MobileFaceNet.EMBEDDING_SIZE);
    static final MtcnnConfig MTCNN = MtcnnConfig.DEFAULT;

    private ScaleOutStages() {
    }

    enum Stage {
        DETECTOR, EMBEDDER, MATCHER;

        /** The consumer group its instances share. */
        String group() {
            return switch (this) {
                case DETECTOR -> DetectorProcessor.STAGE;
                case EMBEDDER -> EmbedderProcessor.STAGE;
                case MATCHER -> MATCHER_APP;
            };
        }

        String inputTopic() {
            return switch (this) {
                case DETECTOR -> TOPICS.frames().name();
                case EMBEDDER -> TOPICS.faces().name();
                case MATCHER -> TOPICS.embeddings().name();
            };
        }
    }

    /** A running instance of a stage. */
    interface Instance extends AutoCloseable {

        /**
         * Input records this instance has handled: for the transactional stages those it committed; for the
         * matcher those its stream thread processed, counted once it has committed at least once.
         */
        long progress();

        @Override
        void close();
    }

    static Instance start(Stage stage, String instanceId, KafkaClientSettings kafka, Path stateDir)
            throws InterruptedException {
        return switch (stage) {
            case DETECTOR -> transactional(new StageConfig(DetectorProcessor.STAGE, instanceId, kafka,
                    stage.inputTopic(), 4, Duration.ofMillis(100), FrameLimits.MAX_RECORD_BYTES),
                    new DetectorProcessor(TOPICS, new FrameDetector(new ImageDecoder(DecodeLimits.defaults()),
                            Detection.detector(MTCNN), "mtcnn-scaleout", Clock.systemUTC()),
                            DetectorProcessor.StageListener.NONE));
            case EMBEDDER -> {
                CropEmbedder embedder = new CropEmbedder(new FaceEmbedder(SharedModels.get().mobileFaceNet(), 8),
                        MODEL);
                yield transactional(new StageConfig(EmbedderProcessor.STAGE, instanceId, kafka, stage.inputTopic(),
                        8, Duration.ofMillis(100)), new EmbedderProcessor(TOPICS, () -> embedder));
            }
            case MATCHER -> matcher(instanceId, kafka, stateDir);
        };
    }

    private static Instance transactional(StageConfig config, BatchProcessor processor) {
        TransactionalStage stage = new TransactionalStage(config, processor).start();
        return new Instance() {
            @Override
            public long progress() {
                return stage.processedRecords();
            }

            @Override
            public void close() {
                stage.close();
            }
        };
    }

    /** As MatchingStreams configures it, with a 6 s session so a killed member's tasks move sooner. */
    private static Instance matcher(String instanceId, KafkaClientSettings kafka, Path stateDir)
            throws InterruptedException {
        GalleryView gallery = new GalleryView(MobileFaceNet.EMBEDDING_SIZE);
        GalleryReplica replica = new GalleryReplica(kafka, TOPICS, gallery).start();
        if (!replica.awaitCaughtUp(Duration.ofSeconds(30))) {
            replica.close();
            throw new IllegalStateException("matcher " + instanceId + ": gallery replica did not catch up in 30 s");
        }
        Properties p = kafka.streams();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, MATCHER_APP);
        p.put(StreamsConfig.CLIENT_ID_CONFIG, MATCHER_APP + "-" + instanceId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000");
        KafkaStreams streams = new KafkaStreams(MatchingTopology.build(TOPICS, MATCH, gallery, Clock.systemUTC(),
                new CameraSettings(), GallerySync.NONE), p);
        streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.REPLACE_THREAD);
        streams.start();
        return new Instance() {
            @Override
            public long progress() {
                return threadMetric(streams, "commit-total") > 0 ? threadMetric(streams, "process-total") : 0;
            }

            @Override
            public void close() {
                streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(10)));
                replica.close();
            }
        };
    }

    /** A stream-thread metric summed over the instance's threads (a replaced thread starts from 0). */
    private static long threadMetric(KafkaStreams streams, String name) {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> m : streams.metrics().entrySet()) {
            if (m.getKey().group().equals("stream-thread-metrics") && m.getKey().name().equals(name)
                    && m.getValue().metricValue() instanceof Number n) {
                sum += n.doubleValue();
            }
        }
        return (long) sum;
    }
}
