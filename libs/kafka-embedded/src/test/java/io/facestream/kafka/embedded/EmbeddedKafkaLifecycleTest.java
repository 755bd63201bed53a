package io.facestream.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.facestream.kafka.topics.TopicCreator;
import io.facestream.kafka.topics.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, close and restart; each test owns its brokers. */
class EmbeddedKafkaLifecycleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Generous for a noisy 2-core VM; a clean close measured well under this. */
    private static final Duration QUICK_CLOSE = Duration.ofSeconds(10);

    @Test
    void restartOnTheSameLogDirKeepsTopicsAndRecords(@TempDir Path dir) throws Exception {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults().withLogDir(dir);
        try (EmbeddedKafka first = new EmbeddedKafka(config).start()) {
            try (Admin admin = admin(first)) {
                TopicCreator.createAll(admin, List.of(TopicSpec.compacted("kept", 1)), TIMEOUT);
            }
            try (KafkaProducer<String, String> producer = TestClients.producer(first, Map.of())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i));
                }
                producer.flush();
            }
        }

        long begin = System.nanoTime();
        try (EmbeddedKafka second = new EmbeddedKafka(config).start()) {
            System.out.printf("restart on a used log dir: %d ms%n", Duration.ofNanos(System.nanoTime() - begin).toMillis());
            try (Admin admin = admin(second)) {
                assertEquals(Set.of(), TopicCreator.createAll(admin, List.of(TopicSpec.compacted("kept", 1)), TIMEOUT),
                        "the topic survived the restart");
            }
            try (KafkaConsumer<String, String> consumer = TestClients.consumer(second, Map.of())) {
                List<String> values = TestClients.readAll(consumer, List.of(new TopicPartition("kept", 0)), TIMEOUT)
                        .stream().map(ConsumerRecord::value).toList();
                assertEquals(IntStream.range(0, 50).mapToObj(i -> "v" + i).toList(), values);
            }
        }
        assertTrue(Files.isDirectory(dir), "a given log dir is kept");
    }

    @Test
    void closeIsQuickWhenClientsAreClosedFirstAndDeletesTheTempDir() throws Exception {
        long beginStart = System.nanoTime();
        EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        Duration startup = Duration.ofNanos(System.nanoTime() - beginStart);
        Path logDir = kafka.logDir();
        try (Admin admin = admin(kafka)) {
            TopicCreator.createAll(admin, List.of(TopicSpec.of("quick", 1)), TIMEOUT);
        }
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka, Map.of())) {
            producer.send(new ProducerRecord<>("quick", "k", "v")).get();
        }

        long begin = System.nanoTime();
        kafka.close();
        Duration shutdown = Duration.ofNanos(System.nanoTime() - begin);
        kafka.close(); // a second close is a no-op

        System.out.printf("startup %d ms, shutdown %d ms%n", startup.toMillis(), shutdown.toMillis());
        assertTrue(shutdown.compareTo(QUICK_CLOSE) < 0, "close took " + shutdown);
        assertFalse(Files.exists(logDir), "temp log dir deleted: " + logDir);
    }

    @Test
    void startFailsWithAClearErrorWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults().withPort(taken.getLocalPort()));

            EmbeddedKafkaException e = assertThrows(EmbeddedKafkaException.class,
                    () -> kafka.start(Duration.ofSeconds(15)));

            System.out.println("start on a taken port: " + e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
            assertFalse(Files.exists(kafka.logDir()), "the temp log dir of a failed start is deleted");
            assertThrows(IllegalStateException.class, kafka::start, "an instance starts only once");
            kafka.close();
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(kafka.adminClientConfig());
    }
}
