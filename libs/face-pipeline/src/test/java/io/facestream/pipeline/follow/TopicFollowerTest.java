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
import io.facestream.pipeline.health.LoopState;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.stage.ProcessingRetries;
import java.util.concurrent.CopyOnWriteArrayList;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void aResumingFollowerStartsAtTheStoredOffsetsAndAtTheBeginningElsewhere() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
            try (Admin admin = Admin.create(kafka.adminClientConfig())) {
                TopicCreator.createAll(admin, List.of(TopicSpec.of("r", 2)), Duration.ofSeconds(20));
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.adminClientConfig(),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("r", i % 2, "k" + i, new byte[] {(byte) i}));
                }
                producer.flush();
            }
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            // Partition 0 was read up to offset 3 before; partition 1 was never read.
            try (TopicFollower follower = TopicFollower.resuming("resume",
                    new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), List.of("r"),
                    Map.of(new org.apache.kafka.common.TopicPartition("r", 0), 3L),
                    KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES,
                    r -> seen.add(r.partition() + "@" + r.offset())).start()) {
                assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
                assertEquals(java.util.Set.of("0@3", "0@4", "1@0", "1@1", "1@2", "1@3", "1@4"),
                        java.util.Set.copyOf(seen));
                assertEquals(7, seen.size(), "nothing twice: " + seen);
            }
        }
    }

    @Test
    void aFailingCallbackIsRetriedFromTheFailedRecordThenReportedFailed() throws Exception {
        ProcessingRetries retries = new ProcessingRetries(3, Duration.ofMillis(50));
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
            try (Admin admin = Admin.create(kafka.adminClientConfig())) {
                TopicCreator.createAll(admin, List.of(TopicSpec.of("flaky", 1), TopicSpec.of("poison", 1)),
                        Duration.ofSeconds(20));
            }
            KafkaClientSettings settings = new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.adminClientConfig(),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("flaky", "k" + i, new byte[] {(byte) i}));
                    producer.send(new ProducerRecord<>("poison", "k" + i, new byte[] {(byte) i}));
                }
                producer.flush();
            }

            // Fails twice on record 4, then takes it: nothing lost, nothing handed over twice after it succeeded.
            List<Integer> seen = new CopyOnWriteArrayList<>();
            AtomicInteger failuresLeft = new AtomicInteger(2);
            try (TopicFollower flaky = new TopicFollower("flaky-follower", settings, List.of("flaky"), -1, r -> {
                if (r.value()[0] == 4 && failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("transient failure");
                }
                seen.add((int) r.value()[0]);
            }, retries).start()) {
                assertTrue(flaky.awaitCaughtUp(Duration.ofSeconds(30)));
                assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
                assertEquals(LoopState.RUNNING, flaky.loops().get(0).state());
            }

            // Always fails on record 4: three tries, then FAILED with the cause, and the thread is gone.
            try (TopicFollower poisoned = new TopicFollower("poisoned-follower", settings, List.of("poison"), -1,
                    r -> {
                        if (r.value()[0] == 4) {
                            throw new IllegalArgumentException("cannot apply record 4");
                        }
                    }, retries).start()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (poisoned.loops().get(0).state() != LoopState.FAILED && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                LoopStatus status = poisoned.loops().get(0);
                assertEquals(LoopState.FAILED, status.state(), status.toString());
                assertEquals("poisoned-follower", status.component());
                assertTrue(status.detail().contains("gave up after 3 failures")
                        && status.detail().contains("cannot apply record 4"), status.detail());
                assertThrows(IllegalStateException.class, () -> poisoned.sync(Duration.ofSeconds(5)),
                        "a failed follower says so to a caller waiting for it");
            }
        }
    }
}
