package io.facestream.matching.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.CameraSetting;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Camera settings on a real (in-process) broker: what one matcher instance's replica sees, a second one sees
 * too, and an instance started afterwards (a restart) reads back from the compacted topic; a tombstone returns
 * the camera to its default, and a foreign record with a threshold outside [0, 1] does not stop the replica.
 */
class CameraSettingsReplicaTest {

    private static final Topics TOPICS = new Topics(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        try (Admin admin = Admin.create(kafka.adminClientConfig())) {
            TopicCreator.createAll(admin, TOPICS.specs(), TIMEOUT);
        }
        Map<String, Object> config = new HashMap<>(kafka.adminClientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static KafkaClientSettings client() {
        return KafkaClientSettings.of(kafka.bootstrapServers()).withLogin(EmbeddedKafka.SECURITY_PROTOCOL,
                kafka.adminLogin());
    }

    private static void write(String cameraId, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(TOPICS.cameras().name(), cameraId, value)).get();
    }

    private static byte[] setting(String cameraId, Double threshold, boolean enabled) {
        return TOPICS.cameras().encode(CameraSetting.newBuilder().setCameraId(cameraId).setThreshold(threshold)
                .setEnabled(enabled).setUpdatedBy("op").setUpdatedAt(Instant.now()).build());
    }

    private static CameraSettingsReplica replica(CameraSettings settings) throws InterruptedException {
        CameraSettingsReplica replica = new CameraSettingsReplica(client(), TOPICS, settings).start();
        assertTrue(replica.awaitCaughtUp(TIMEOUT), "caught up");
        return replica;
    }

    @Test
    void aThresholdReachesEveryInstanceAndSurvivesARestart() throws Exception {
        CameraSettings first = new CameraSettings();
        CameraSettings second = new CameraSettings();
        try (CameraSettingsReplica a = replica(first); CameraSettingsReplica b = replica(second)) {
            write("door", setting("door", 0.72, true));
            write("yard", setting("yard", null, false));
            assertTrue(a.sync(TIMEOUT) && b.sync(TIMEOUT), "both replicas synced");
            for (CameraSettings s : new CameraSettings[] {first, second}) {
                assertEquals(Optional.of(0.72), s.get("door").orElseThrow().threshold());
                assertEquals(0.72, s.threshold("door", 0.5), 1e-12);
                assertTrue(s.enabled("door"));
                assertEquals(0.5, s.threshold("yard", 0.5), 1e-12, "no threshold: the configured one");
                assertFalse(s.enabled("yard"));
            }
        }
        // Both instances are gone; a restarted one rebuilds the settings from the compacted topic alone.
        CameraSettings restarted = new CameraSettings();
        try (CameraSettingsReplica c = replica(restarted)) {
            assertEquals(0.72, restarted.threshold("door", 0.5), 1e-12);
            assertFalse(restarted.enabled("yard"));

            // A record no camera API writes (threshold 1.5, or garbage) is skipped; the camera keeps its setting
            // and later records still apply.
            write("door", setting("door", 1.5, true));
            write("door", "not avro".getBytes(StandardCharsets.UTF_8));
            write("lobby", setting("lobby", 0.9, true));
            assertTrue(c.sync(TIMEOUT));
            assertEquals(0.72, restarted.threshold("door", 0.5), 1e-12);
            assertEquals(0.9, restarted.threshold("lobby", 0.5), 1e-12);

            write("lobby", null);
            assertTrue(c.sync(TIMEOUT));
            assertTrue(restarted.get("lobby").isEmpty(), "a tombstone returns the camera to its defaults");
        }
    }
}
