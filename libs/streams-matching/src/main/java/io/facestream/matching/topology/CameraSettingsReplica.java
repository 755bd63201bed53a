package io.facestream.matching.topology;

import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.CameraSetting;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a matcher instance's {@link CameraSettings} in step with the compacted {@code cameras} topic: read from
 * the beginning on every start (the topic is the durable store; it holds one small record per camera), then
 * followed, so an operator's change reaches every instance within a poll. A record that does not decode or
 * holds a threshold outside [0, 1] (the camera API refuses those; only a foreign writer could put one there) is
 * skipped with a warning and the camera keeps its earlier setting: one bad record must not stop matching.
 */
public final class CameraSettingsReplica implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(CameraSettingsReplica.class);

    private final Topics topics;
    private final CameraSettings settings;
    private final TopicFollower follower;

    public CameraSettingsReplica(KafkaClientSettings kafka, Topics topics, CameraSettings settings) {
        this.topics = topics;
        this.settings = settings;
        this.follower = new TopicFollower("camera-settings", kafka, List.of(topics.cameras().name()), -1,
                this::apply);
    }

    public CameraSettingsReplica start() {
        follower.start();
        return this;
    }

    /** The settings it keeps up to date. */
    public CameraSettings settings() {
        return settings;
    }

    /** Waits until everything that was in the topic when the replica started has been applied. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** Waits until every camera record written so far has been applied. */
    public boolean sync(Duration timeout) throws InterruptedException {
        return follower.sync(timeout);
    }

    /** The setting a {@code cameras} record stands for. */
    public static CameraSettings.Setting setting(CameraSetting record) {
        return new CameraSettings.Setting(Optional.ofNullable(record.getThreshold()), record.getEnabled());
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            LOG.warn("skipping a cameras record without a key at offset {}", r.offset());
            return;
        }
        if (r.value() == null) {
            settings.remove(r.key());
            return;
        }
        try {
            CameraSetting record = topics.cameras().valueSerde().deserializer().deserialize(r.topic(), r.value());
            settings.put(r.key(), setting(record));
        } catch (SerializationException | IllegalArgumentException e) {
            LOG.warn("skipping cameras record of {} at offset {}: {}", r.key(), r.offset(), e.getMessage());
        }
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }

    @Override
    public void close() {
        follower.close();
    }
}
