package io.facestream.pipeline.stage;

import static io.facestream.pipeline.stage.StageTestKit.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.deadletter.DeadLetters;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.health.LoopState;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A processor that throws on one record (a bug, not a rejected record), on a real in-process broker: the stage
 * retries the batch a bounded number of times, then dead-letters exactly that record with kind
 * {@code processing-failed} and the exception, and every other record is processed exactly once. The input is
 * written transactionally, like every topic between stages, so its commit markers are there; after the backlog
 * drains the stage's lag is 0, also as the group's committed offsets show it.
 */
class PoisonPillStageTest {

    private static final String IN = "poison-in";
    private static final String OUT = "poison-out";
    private static final int PARTITIONS = 2;
    private static final int RECORDS = 40;
    private static final int POISON = 17;
    private static final Duration SLOW = Duration.ofMillis(300);
    private static final ProcessingRetries RETRIES = new ProcessingRetries(3, Duration.ofMillis(50));

    private static EmbeddedKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        admin = Admin.create(kafka.adminClientConfig());
        admin.createTopics(List.of(new NewTopic(IN, PARTITIONS, (short) 1), new NewTopic(OUT, PARTITIONS, (short) 1),
                new NewTopic(DeadLetter.topicFor(IN), PARTITIONS, (short) 1))).all().get();
    }

    @AfterAll
    static void stop() {
        StageTestKit.closeAll(null, admin, kafka);
    }

    @Test
    void aRecordThatThrowsIsDeadLetteredAfterBoundedRetriesAndTheRestIsProcessedOnce() throws Exception {
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, byte[]> tx = transactionalProducer()) {
            tx.initTransactions();
            for (int start = 0; start < RECORDS; start += 10) {
                tx.beginTransaction();
                for (int i = start; i < start + 10; i++) {
                    String v = i == POISON ? "poison" : "record-" + i;
                    values.add(v);
                    tx.send(new ProducerRecord<>(IN, "key-" + (i % 4), v.getBytes(StandardCharsets.UTF_8)));
                }
                tx.commitTransaction();
            }
        }

        AtomicInteger callsWithPoison = new AtomicInteger();
        BatchProcessor processor = batch -> {
            pause(SLOW); // a slow stage: the backlog lasts seconds, so the test sees the lag above 0
            List<StageOutput> out = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : batch) {
                String v = new String(r.value(), StandardCharsets.UTF_8);
                if (v.equals("poison")) {
                    callsWithPoison.incrementAndGet();
                    throw new NullPointerException("a processor bug on " + v);
                }
                if (v.isEmpty()) { // a rejected record still takes the ordinary dead-letter path
                    out.add(DeadLetters.of("poison-stage", r, new RejectedRecordException("empty", "empty")));
                }
                out.add(StageOutput.of(OUT, r.key(), v.toUpperCase().getBytes(StandardCharsets.UTF_8)));
            }
            return out;
        };
        Map<String, Integer> counted = new ConcurrentHashMap<>();
        StageConfig config = new StageConfig("poison-stage", "i0", new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()),
                IN, 5, Duration.ofMillis(100)).withRetries(RETRIES);
        TransactionalStage stage = new TransactionalStage(config, processor,
                (s, reason) -> counted.merge(s + "/" + reason, 1, Integer::sum)).start();
        try {
            StageTestKit.await("a lag above 0 while the backlog waits", TIMEOUT, () -> totalLag(stage) > 0);
            StageTestKit.awaitConsumed(admin, config.groupId(), IN, TIMEOUT);
            StageTestKit.await("the lag back at 0", Duration.ofSeconds(10), () -> totalLag(stage) == 0
                    && stage.lag().size() == PARTITIONS);
            assertEquals(Map.of(0, 0L, 1, 0L), committedLag(config.groupId()),
                    "the group's committed offsets are past the input's last commit marker");
            assertEquals(LoopState.RUNNING, stage.loops().get(0).state(), "the stage goes on");
        } finally {
            stage.close();
        }

        assertEquals(RETRIES.maxAttempts() + 1, callsWithPoison.get(),
                "the poison's batch is tried maxAttempts times, then the poison once on its own");
        assertEquals(RECORDS, stage.processedRecords());
        assertEquals(Map.of("poison-stage/" + TransactionalStage.PROCESSING_FAILED, 1), counted,
                "one committed dead letter counted");

        Map<String, Integer> outputs = new TreeMap<>();
        List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : StageTestKit.readCommitted(kafka,
                List.of(OUT, DeadLetter.topicFor(IN)))) {
            if (r.topic().equals(OUT)) {
                outputs.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum);
            } else {
                letters.add(r);
            }
        }
        Map<String, Integer> expected = new TreeMap<>();
        values.stream().filter(v -> !v.equals("poison")).forEach(v -> expected.put(v.toUpperCase(), 1));
        assertEquals(expected, outputs, "every other record processed exactly once");
        assertEquals(1, letters.size(), "exactly one dead letter");
        ConsumerRecord<String, byte[]> letter = letters.get(0);
        StageTestKit.assertDeadLetter(letter, new ProducerRecord<>(IN, "key-" + (POISON % 4),
                "poison".getBytes(StandardCharsets.UTF_8)), "poison-stage", TransactionalStage.PROCESSING_FAILED);
        String message = StageTestKit.header(letter, DeadLetter.MESSAGE);
        assertTrue(message.contains("java.lang.NullPointerException: a processor bug on poison"), message);
        assertEquals(IN, StageTestKit.header(letter, DeadLetter.SOURCE_TOPIC));
    }

    private static long totalLag(TransactionalStage stage) {
        return stage.lag().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Log end (read_committed) minus the group's committed offset, per partition, as the admin client sees it. */
    private static Map<Integer, Long> committedLag(String group) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(IN, p), OffsetSpec.latest());
        }
        var end = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<Integer, Long> lag = new TreeMap<>();
        end.forEach((tp, info) -> lag.put(tp.partition(), info.offset() - committed.get(tp).offset()));
        return lag;
    }

    private static KafkaProducer<String, byte[]> transactionalProducer() {
        Map<String, Object> c = new HashMap<>(kafka.adminClientConfig());
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "poison-writer");
        return new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
