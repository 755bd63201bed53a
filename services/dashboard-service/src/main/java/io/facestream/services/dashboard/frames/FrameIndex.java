package io.facestream.services.dashboard.frames;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.services.common.config.PipelineConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the recent frames are in the {@code frames} topic, so the dashboard can show the frame a sighting's
 * best face was found in without keeping any image: it follows {@code frame-results} (whose records say where
 * their frame is, a few hundred bytes each, never the frames themselves), remembers frame id → (partition,
 * offset) for the last {@link #CAPACITY} frames (about 100 bytes each) and reads one frame back from Kafka when
 * it is asked for. The topic's retention, not the dashboard's memory, bounds how long a snapshot stays available.
 */
@Context
public class FrameIndex implements Monitored {

    /** Frames remembered: at 5 frames/s per camera, 10 cameras' last ~15 minutes. */
    public static final int CAPACITY = 50_000;
    /** Frame results per partition re-read at start: enough to refill the index across 4 partitions. */
    static final int REPLAYED_PER_PARTITION = CAPACITY / 4;
    private static final Logger LOG = LoggerFactory.getLogger(FrameIndex.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    /** A frame's place in the topic. */
    record Position(int partition, long offset) {
    }

    /** An encoded frame as the camera sent it. */
    public record Image(byte[] bytes, String contentType) {
    }

    private final Topics topics;
    private final Map<String, Position> positions = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Position> eldest) {
            return size() > CAPACITY;
        }
    };
    private final TopicFollower follower;
    /** Reads single frames back; one at a time (a snapshot is an operator's click, not a hot path). */
    private final KafkaConsumer<String, byte[]> reader;

    public FrameIndex(PipelineConfig config, Topics topics) {
        this.topics = topics;
        Properties p = config.kafka(ServicePrincipal.DASHBOARD).follower(FrameLimits.MAX_RECORD_BYTES);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        reader = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        follower = new TopicFollower("frame-index", config.kafka(ServicePrincipal.DASHBOARD),
                List.of(topics.frameResults().name()), REPLAYED_PER_PARTITION, this::add).start();
    }

    private void add(ConsumerRecord<String, byte[]> r) {
        try {
            FrameResult result = topics.frameResults().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (result.getFramePartition() != null && result.getFrameOffset() != null) {
                synchronized (positions) {
                    positions.put(result.getFrameId(), new Position(result.getFramePartition(),
                            result.getFrameOffset()));
                }
            }
        } catch (SerializationException | NullPointerException e) {
            LOG.debug("skipping frame-results record at partition {} offset {}", r.partition(), r.offset());
        }
    }

    /** The frame, read back from the topic; empty when it is not among the recent ones or no longer kept there. */
    public Optional<Image> image(String frameId) {
        Position at;
        synchronized (positions) {
            at = positions.get(frameId);
        }
        if (at == null) {
            return Optional.empty();
        }
        synchronized (reader) {
            TopicPartition tp = new TopicPartition(topics.frames().name(), at.partition());
            reader.assign(List.of(tp));
            reader.seek(tp, at.offset());
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.offset() < at.offset()) {
                        continue;
                    }
                    if (r.offset() > at.offset()) {
                        return Optional.empty(); // deleted by retention (or compacted away) in the meantime
                    }
                    Frame f = topics.frames().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (!f.getFrameId().equals(frameId)) {
                        return Optional.empty();
                    }
                    byte[] bytes = new byte[f.getImage().remaining()];
                    f.getImage().duplicate().get(bytes);
                    return Optional.of(new Image(bytes, f.getContentType()));
                }
            }
            LOG.warn("frame {} at {} was not read back within {}", frameId, at, READ_TIMEOUT);
            return Optional.empty();
        }
    }

    @PreDestroy
    void close() {
        follower.close();
        synchronized (reader) {
            reader.close(Duration.ofSeconds(1));
        }
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }
}
