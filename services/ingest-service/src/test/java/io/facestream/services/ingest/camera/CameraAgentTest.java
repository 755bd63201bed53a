package io.facestream.services.ingest.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.pipeline.topics.Topics;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera agent passes over the frames it cannot send — a file over the frame limit, found from its size before
 * it is read, and a record the topic refuses for its size — with one line each, and sends the files after them.
 */
class CameraAgentTest {

    private static final Topics TOPICS = new Topics(1);

    @TempDir
    Path folder;

    @Test
    void framesThatCannotBeSentAreSkippedWithOneLineEachAndTheRestAreSent() throws Exception {
        write("a-first.jpg", 1000);
        try (RandomAccessFile huge = new RandomAccessFile(folder.resolve("b-huge.jpg").toFile(), "rw")) {
            huge.setLength(FrameLimits.MAX_IMAGE_BYTES + 1L); // sparse: costs no disk, and must not be read
        }
        write("c-refused.jpg", 2 << 20); // under the frame limit, over this topic's max.message.bytes
        write("d-last.png", 1000);

        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
            KafkaClientSettings client = new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings());
            try (Admin admin = Admin.create(client.admin())) {
                // A topic left at Kafka's 1 MiB default, as a misconfigured deployment would have it.
                TopicCreator.createAll(admin, List.of(TopicSpec.of(TOPICS.frames().name(), 1)
                        .withConfig(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(1 << 20))),
                        Duration.ofSeconds(30));
            }
            List<String> sent = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            long published;
            try (CameraAgent agent = new CameraAgent("door", client, TOPICS, Clock.systemUTC());
                    FrameSource source = new ImageFolderSource(folder)) {
                published = agent.stream(source, 100, sent::add, skipped::add);
            }

            assertEquals(2, published, "a-first and d-last");
            assertEquals(2, skipped.size(), String.join("\n", skipped));
            assertTrue(skipped.get(0).contains("b-huge.jpg") && skipped.get(0).contains(FrameLimits.describe()),
                    skipped.get(0));
            assertTrue(skipped.get(1).contains("c-refused.jpg") && skipped.get(1).contains(FrameLimits.describe()),
                    skipped.get(1));
            assertTrue(skipped.stream().noneMatch(line -> line.contains("\n")), "one line each");
            assertEquals(Set.copyOf(sent), frameIdsOnTheTopic(client, 2));
        }
    }

    private void write(String name, int bytes) throws Exception {
        byte[] b = new byte[bytes];
        new Random(name.hashCode()).nextBytes(b);
        Files.write(folder.resolve(name), b);
    }

    private static Set<String> frameIdsOnTheTopic(KafkaClientSettings client, int expected) {
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(client.groupConsumer("test", 1 << 20),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(TOPICS.frames().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ids.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    ids.add(TOPICS.frames().valueSerde().deserializer().deserialize(r.topic(), r.value())
                            .getFrameId());
                }
            }
        }
        return ids;
    }
}
