package io.facestream.services.dashboard.cameras;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.CameraSetting;
import io.facestream.services.common.config.PipelineConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' camera settings as the compacted {@code cameras} topic holds them: followed from the beginning
 * (the topic is the store, so nothing is lost on a restart and every dashboard instance shows the same), and
 * written here, the write returning once this instance's view shows it. The matchers follow the same topic.
 */
// Eager: it must be following the topic before the first request lists cameras.
@Context
public class CameraSettingsStore implements Monitored {

    /** Cameras with settings of their own; a further one is refused, so a client cannot grow the topic unbounded. */
    public static final int MAX_CAMERAS = 10_000;
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(CameraSettingsStore.class);

    private final Topics topics;
    private final Map<String, CameraSetting> settings = new ConcurrentHashMap<>();
    private final KafkaProducer<String, byte[]> producer;
    private final TopicFollower follower;

    public CameraSettingsStore(PipelineConfig config, Topics topics) {
        this.topics = topics;
        producer = new KafkaProducer<>(config.kafka(ServicePrincipal.DASHBOARD).producer(), new StringSerializer(),
                new ByteArraySerializer());
        follower = new TopicFollower("camera-settings", config.kafka(ServicePrincipal.DASHBOARD),
                List.of(topics.cameras().name()), -1, this::apply).start();
    }

    public Optional<CameraSetting> get(String cameraId) {
        return Optional.ofNullable(settings.get(cameraId));
    }

    public Map<String, CameraSetting> all() {
        return Map.copyOf(settings);
    }

    /**
     * Writes a camera's settings and waits until this instance's view has them (read your own write).
     *
     * @throws IllegalStateException when Kafka did not take it, or the view did not show it, in time
     */
    public void put(CameraSetting setting) {
        try {
            producer.send(new ProducerRecord<>(topics.cameras().name(), setting.getCameraId(),
                    topics.cameras().encode(setting))).get(30, TimeUnit.SECONDS);
            if (!follower.sync(VISIBLE_WITHIN)) {
                throw new IllegalStateException("the camera setting was written but not read back within "
                        + VISIBLE_WITHIN);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not accept the camera setting: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Whether a setting for this camera may be written (it has one, or there is room for another). */
    public boolean hasRoomFor(String cameraId) {
        return settings.containsKey(cameraId) || settings.size() < MAX_CAMERAS;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            settings.remove(r.key());
            return;
        }
        try {
            settings.put(r.key(), topics.cameras().valueSerde().deserializer().deserialize(r.topic(), r.value()));
        } catch (SerializationException e) {
            LOG.warn("skipping cameras record of {} at offset {}: {}", r.key(), r.offset(), e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        follower.close();
        producer.close(Duration.ofSeconds(2));
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }
}
