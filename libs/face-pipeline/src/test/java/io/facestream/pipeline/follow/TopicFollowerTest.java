package io.facestream.pipeline.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The follower's read-your-writes barrier: after {@code sync} returns, everything written before it is seen. */
class TopicFollowerTest {

    @Test
    void syncReturnsOnlyAfterEveryRecordWrittenBeforeItWasHandedOver() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
            try (Admin admin = Admin.create(kafka.adminClientConfig())) {
                TopicCreator.createAll(admin, List.of(TopicSpec.of("a", 3), TopicSpec.compacted("b", 1)),
                        Duration.ofSeconds(20));
            }
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            AtomicInteger count = new AtomicInteger();
            try (TopicFollower follower = new TopicFollower("test", new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), List.of("a", "b"), -1,
                    r -> {
                        seen.put(r.topic() + "/" + r.key(), r.value()[0] & 0xff);
                        count.incrementAndGet();
                    }).start();
                    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.adminClientConfig(),
                            new StringSerializer(), new ByteArraySerializer())) {
                assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
                for (int round = 1; round <= 3; round++) {
                    for (int i = 0; i < 50; i++) {
                        producer.send(new ProducerRecord<>(i % 2 == 0 ? "a" : "b", "k" + i, new byte[] {(byte) round}));
                    }
                    producer.flush();
                    assertTrue(follower.sync(Duration.ofSeconds(30)), "sync within the timeout");
                    assertEquals(50 * round, count.get(), "round " + round + ": every record written before sync");
                    for (int i = 0; i < 50; i++) {
                        assertEquals(round, seen.get((i % 2 == 0 ? "a" : "b") + "/k" + i));
                    }
                }
            }
        }
    }
}
