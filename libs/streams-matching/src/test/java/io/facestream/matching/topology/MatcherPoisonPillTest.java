package io.facestream.matching.topology;

import io.facestream.core.gallery.GalleryKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.matching.errors.StreamsDeadLetters;
import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.deadletter.DeadLetterListener;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Candidate;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison pills for the matcher under exactly-once v2 on a real (in-process) broker: identities with 300 KB names
 * (written straight to the gallery, as an attacker with broker access could) must not make matches too large, and
 * an embedding whose match would still be too large (huge ids) goes to {@code embeddings.dlq} while the partition
 * goes on. Without the bounds the first test's matches are 1.5 MB, which Kafka refuses; under exactly-once the
 * task then fails on the same record after every thread replacement, matching nothing.
 */
class MatcherPoisonPillTest {

    private static final Topics TOPICS = new Topics(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final float[] ALICE = {1, 0, 0, 0};
    private static final String HUGE_NAME = "x".repeat(300_000);

    private static EmbeddedKafka kafka;
    private static Admin admin;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        admin = Admin.create(kafka.adminClientConfig());
        TopicCreator.createAll(admin, TOPICS.specs(), TIMEOUT);
        Map<String, Object> producerConfig = new HashMap<>(kafka.adminClientConfig());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void hugeNamesAreCutSoEveryMatchIsWritten(@TempDir Path state) throws Exception {
        GalleryView gallery = new GalleryView(4);
        for (int i = 0; i < 5; i++) {
            String id = "huge-" + i;
            gallery.applySample(GalleryKey.of(id, "s"), sample(id, "A", new float[] {0.6f, 0.8f, 0, 0}));
            gallery.applyIdentity(id, identity(id, HUGE_NAME + i));
        }
        gallery.applySample(GalleryKey.of("alice", "s"), sample("alice", "A", ALICE));
        gallery.applyIdentity("alice", identity("alice", "Alice"));
        KafkaStreams streams = streams("huge-names", state, gallery, new Properties(), DeadLetterListener.NONE);
        try {
            publish("huge", "A", 20);
            await("20 matches", () -> matches("huge-").size() == 20);
            assertEquals(KafkaStreams.State.RUNNING, streams.state());
        } finally {
            streams.close(Duration.ofSeconds(10));
        }
        for (Match m : matches("huge-").values()) {
            assertEquals(5, m.getCandidates().size(), "top-k");
            assertEquals("alice", m.getCandidates().get(0).getIdentityId());
            for (Candidate c : m.getCandidates()) {
                assertTrue(c.getName().length() <= MatchBounds.MAX_NAME_CHARS, "name of " + c.getIdentityId()
                        + " is " + c.getName().length() + " chars");
            }
        }
    }

    @Test
    void anEmbeddingWhoseMatchWouldBeTooLargeIsDeadLetteredAndThePartitionGoesOn(@TempDir Path state)
            throws Exception {
        // Under exactly-once a record the producer refuses fails the transaction whatever the handlers say, so the
        // topology must never hand it one: an embedding with a 300 KB face id would make a 300 KB match.
        GalleryView gallery = new GalleryView(4);
        gallery.applySample(GalleryKey.of("alice", "s"), sample("alice", "A", ALICE));
        gallery.applyIdentity("alice", identity("alice", "Alice"));
        Map<String, Integer> counted = new ConcurrentHashMap<>();
        DeadLetterListener count = (stage, reason) -> counted.merge(stage + "/" + reason, 1, Integer::sum);
        KafkaStreams streams = streams("too-large", state, gallery,
                StreamsDeadLetters.install(new Properties(), "matcher", count), count);
        try {
            for (int round = 0; round < 3; round++) {
                publish("small-" + round, "A", 5);
                publish("large-" + round + "-" + "y".repeat(300_000), "A", 1);
            }
            publish("huge-dlq-" + "z".repeat(700_000), "A", 1);
            await("15 small matches", () -> matches("small-").size() == 15);
            await("4 dead letters", () -> deadLetters("large-").size() + deadLetters("huge-dlq-").size() == 4);
            assertEquals(KafkaStreams.State.RUNNING, streams.state());
            assertEquals(1, streams.metadataForLocalThreads().size(), "no thread was replaced or lost");
        } finally {
            streams.close(Duration.ofSeconds(10));
        }
        assertTrue(matches("large-").isEmpty() && matches("huge-dlq-").isEmpty(), "no oversized match written");
        List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>(deadLetters("large-"));
        letters.addAll(deadLetters("huge-dlq-"));
        for (ConsumerRecord<String, byte[]> letter : letters) {
            assertEquals("matcher", header(letter, DeadLetter.STAGE));
            assertEquals("match-too-large", header(letter, DeadLetter.ERROR_CLASS));
            assertEquals(TOPICS.embeddings().name(), header(letter, DeadLetter.SOURCE_TOPIC));
        }
        ConsumerRecord<String, byte[]> cut = deadLetters("huge-dlq-").get(0);
        assertEquals(MatchBounds.MAX_DEAD_LETTER_VALUE_BYTES, cut.value().length, "a copy too large to write is cut");
        assertTrue(Integer.parseInt(header(cut, MatchBounds.TRUNCATED_HEADER)) > 700_000);
        assertEquals(Map.of("matcher/match-too-large", 4), counted);
    }

    // ---------------------------------------------------------------- fixtures

    private static KafkaStreams streams(String name, Path stateDir, GalleryView gallery, Properties extra,
            DeadLetterListener deadLetters) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, name + "-" + UUID.randomUUID());
        p.putAll(kafka.adminClientConfig());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
        p.putAll(extra);
        KafkaStreams s = new KafkaStreams(MatchingTopology.build(TOPICS, new MatchConfig(5, 0.8, Map.of(), 4),
                gallery, Clock.systemUTC(), new CameraSettings(), GallerySync.NONE, deadLetters), p);
        s.start();
        try {
            await("streams running", () -> s.state() == KafkaStreams.State.RUNNING
                    && !s.metadataForLocalThreads().isEmpty()
                    && !s.metadataForLocalThreads().iterator().next().activeTasks().isEmpty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return s;
    }

    private static void publish(String prefix, String model, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            String camera = "cam-" + (i % 2);
            producer.send(new ProducerRecord<>(TOPICS.embeddings().name(), camera, MatchingTopologyTest.serialize(
                    MatchingTopologyTest.embedding(prefix + "-" + i, camera, model, ALICE)))).get();
        }
    }

    private static Map<String, Match> matches(String prefix) {
        Map<String, Match> out = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : read(TOPICS.matches().name())) {
            Match m = TOPICS.matches().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (m.getFaceId().startsWith(prefix)) {
                out.put(m.getFaceId(), m);
            }
        }
        return out;
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(String prefix) {
        return read(TOPICS.embeddings().deadLetterTopic()).stream()
                .filter(r -> new String(r.value(), StandardCharsets.ISO_8859_1).contains(prefix)).toList();
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Every committed record of the topic, from the beginning to the end offsets. */
    private static List<ConsumerRecord<String, byte[]>> read(String topic) {
        Map<String, Object> c = new HashMap<>(kafka.adminClientConfig());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, TIMEOUT).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return out;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static GallerySample sample(String identity, String model, float[] vector) {
        List<Float> values = new ArrayList<>();
        for (float x : vector) {
            values.add(x);
        }
        return GallerySample.newBuilder().setIdentityId(identity).setSampleId("s").setVector(values)
                .setModelVersion(model).setEnrolledAt(Instant.EPOCH).build();
    }

    private static Identity identity(String id, String name) {
        return Identity.newBuilder().setIdentityId(id).setDisplayName(name).setCreatedAt(Instant.EPOCH).build();
    }
}
