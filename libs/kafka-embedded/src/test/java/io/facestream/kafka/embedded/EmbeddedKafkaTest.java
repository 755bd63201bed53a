package io.facestream.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.facestream.kafka.topics.TopicCreator;
import io.facestream.kafka.topics.TopicMismatchException;
import io.facestream.kafka.topics.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One broker for the whole class; each test uses its own topics. */
class EmbeddedKafkaTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static EmbeddedKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        admin = Admin.create(kafka.adminClientConfig());
    }

    @AfterAll
    static void stopBroker() {
        // Clients first, then the broker (a client left open makes teardown wait ~30 s).
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void describeClusterAnswersWithOneNodeOnLoopback() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();

        assertEquals(EmbeddedKafka.CLUSTER_ID, cluster.clusterId().get());
        var nodes = cluster.nodes().get();
        assertEquals(1, nodes.size());
        var node = nodes.iterator().next();
        assertEquals("127.0.0.1", node.host());
        assertEquals(kafka.port(), node.port());
        assertEquals("127.0.0.1:" + kafka.port(), kafka.bootstrapServers());
    }

    @Test
    void createsTopicsWithPartitionsAndCompactionIdempotently() throws Exception {
        List<TopicSpec> specs = List.of(
                TopicSpec.of("topics.plain", 3),
                TopicSpec.compacted("topics.compacted", 2).withConfig(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1"));

        Set<String> created = TopicCreator.createAll(admin, specs, TIMEOUT);
        Set<String> createdAgain = TopicCreator.createAll(admin, specs, TIMEOUT);

        assertEquals(Set.of("topics.plain", "topics.compacted"), created);
        assertEquals(Set.of(), createdAgain, "second call finds every topic in place");
        Map<String, TopicDescription> described = admin.describeTopics(List.of("topics.plain", "topics.compacted"))
                .allTopicNames().get();
        assertEquals(3, described.get("topics.plain").partitions().size());
        assertEquals(2, described.get("topics.compacted").partitions().size());
        Map<String, String> compactedConfig = topicConfig("topics.compacted");
        assertEquals("compact", compactedConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG));
        assertEquals("0.1", compactedConfig.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG));
        assertEquals("delete", topicConfig("topics.plain").get(TopicConfig.CLEANUP_POLICY_CONFIG));
    }

    @Test
    void partitionCountMismatchIsRejectedBeforeAnythingIsCreated() {
        TopicCreator.createAll(admin, List.of(TopicSpec.of("mismatch.existing", 2)), TIMEOUT);

        TopicMismatchException e = assertThrows(TopicMismatchException.class, () -> TopicCreator.createAll(admin,
                List.of(TopicSpec.of("mismatch.new", 1), TopicSpec.of("mismatch.existing", 4)), TIMEOUT));

        assertTrue(e.getMessage().contains("mismatch.existing has 2 partitions, spec wants 4"), e.getMessage());
        assertFalse(topicNames().contains("mismatch.new"));
    }

    @Test
    void producesAndConsumesHundredRecordsThroughAGroup() throws Exception {
        TopicCreator.createAll(admin, List.of(TopicSpec.of("hundred", 2)), TIMEOUT);
        Map<String, String> sent = IntStream.range(0, 100).boxed()
                .collect(Collectors.toMap(i -> "key-" + i, i -> "value-" + i));

        try (KafkaProducer<String, String> producer = TestClients.producer(kafka, Map.of())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            sent.forEach((k, v) -> acks.add(producer.send(new ProducerRecord<>("hundred", k, v))));
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        Map<String, String> received = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = TestClients.consumer(kafka,
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, "hundred-readers"))) {
            consumer.subscribe(List.of("hundred"));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.put(r.key(), r.value()));
            }
            consumer.commitSync();
        }

        assertEquals(sent, received);
        var committed = admin.listConsumerGroupOffsets("hundred-readers").partitionsToOffsetAndMetadata().get();
        assertEquals(100, committed.values().stream().mapToLong(o -> o.offset()).sum());
    }

    @Test
    void unknownTopicIsNotAutoCreated() {
        long begin = System.nanoTime();
        Throwable failure;
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka,
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("no.such.topic", "k", "v")).get());
            failure = e.getCause();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        assertInstanceOf(TimeoutException.class, failure, String.valueOf(failure));
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
        assertFalse(topicNames().contains("no.such.topic"));
    }

    @Test
    void readCommittedConsumerSeesOnlyCommittedTransactions() throws Exception {
        TopicCreator.createAll(admin, List.of(TopicSpec.of("tx", 1)), TIMEOUT);

        try (KafkaProducer<String, String> producer = TestClients.producer(kafka,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test"))) {
            producer.initTransactions();
            sendInTransaction(producer, List.of("c1", "c2", "c3"), true);
            sendInTransaction(producer, List.of("a1", "a2"), false);
            sendInTransaction(producer, List.of("c4"), true);
        }

        List<TopicPartition> partitions = List.of(new TopicPartition("tx", 0));
        try (KafkaConsumer<String, String> committed = TestClients.consumer(kafka,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
             KafkaConsumer<String, String> uncommitted = TestClients.consumer(kafka,
                     Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"))) {
            assertEquals(List.of("c1", "c2", "c3", "c4"), values(TestClients.readAll(committed, partitions, TIMEOUT)));
            assertEquals(List.of("c1", "c2", "c3", "a1", "a2", "c4"),
                    values(TestClients.readAll(uncommitted, partitions, TIMEOUT)),
                    "aborted records are in the log, only hidden from read_committed");
        }
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, List<String> values, boolean commit) {
        producer.beginTransaction();
        values.forEach(v -> producer.send(new ProducerRecord<>("tx", v, v)));
        producer.flush();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static Map<String, String> topicConfig(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        return config.entries().stream().collect(Collectors.toMap(e -> e.name(), e -> e.value() == null ? "" : e.value()));
    }

    private static Set<String> topicNames() {
        try {
            return admin.listTopics().names().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }
}
