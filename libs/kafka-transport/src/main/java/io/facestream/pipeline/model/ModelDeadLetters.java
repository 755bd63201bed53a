package io.facestream.pipeline.model;

import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.deadletter.DeadLetters;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.stage.StageOutput;
import io.facestream.pipeline.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code models} records that a loader refused (forged, pointing out of the store, undecodable) to
 * {@code models.dlq}: the original key and bytes, the reason in the usual headers ({@link DeadLetter}).
 *
 * <p>The {@code models} topic is compacted and every follower replays it from the start, so the same refused
 * record is seen again after each restart. Before it follows anything, this reads the letters {@code stage}
 * already wrote and writes each source record at most once per stage (two replicas refusing the same record
 * at the same moment may both write it: the letter names its source offset, so a reader can tell).
 */
public final class ModelDeadLetters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDeadLetters.class);
    /** Source offsets remembered; the oldest are forgotten beyond this (a few bytes each). */
    private static final int REMEMBERED = 100_000;
    /** A dead letter must not hold up the follower's thread for Kafka's default minute. */
    private static final Duration SEND_BLOCKS_AT_MOST = Duration.ofSeconds(10);

    private final String stage;
    private final KafkaClientSettings kafka;
    private final String deadLetterTopic;
    private final Consumer<String> onWritten;
    private final Set<String> written = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));
    private final KafkaProducer<String, byte[]> producer;

    /**
     * @param stage the refusing stage, in the {@code facestream.stage} header (e.g. {@code embedder})
     * @param onWritten told the reason's kind of every letter written (for the dead-letter metric)
     */
    public ModelDeadLetters(KafkaClientSettings kafka, Topics topics, String stage, Consumer<String> onWritten) {
        this.stage = stage;
        this.kafka = kafka;
        this.deadLetterTopic = topics.models().deadLetterTopic();
        this.onWritten = onWritten;
        Properties p = kafka.producer();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(SEND_BLOCKS_AT_MOST.toMillis()));
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads the letters already written by this stage, so a replayed record is not written again. */
    public ModelDeadLetters start(Duration timeout) throws InterruptedException {
        try (TopicFollower history = new TopicFollower("model-dead-letters-" + stage, kafka,
                List.of(deadLetterTopic), -1, this::remember).start()) {
            if (!history.awaitCaughtUp(timeout)) {
                throw new IllegalStateException(deadLetterTopic + " was not read within " + timeout);
            }
        }
        return this;
    }

    /** Writes the dead letter of {@code source} unless this stage wrote it before. Never throws. */
    public void refused(ConsumerRecord<String, byte[]> source, RejectedRecordException reason) {
        if (!written.add(id(source.topic(), source.partition(), source.offset()))) {
            return;
        }
        StageOutput letter = DeadLetters.of(stage, source, reason);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(letter.topic(), letter.key(), letter.value());
        letter.headers().forEach((k, v) -> record.headers().add(k, v));
        try {
            producer.send(record, (metadata, e) -> {
                if (e != null) {
                    LOG.error("cannot dead-letter models record at offset {} ({}): {}", source.offset(),
                            reason.kind(), e.getMessage());
                } else {
                    onWritten.accept(reason.kind());
                }
            });
        } catch (RuntimeException e) {
            LOG.error("cannot dead-letter models record at offset {} ({}): {}", source.offset(), reason.kind(),
                    e.getMessage());
        }
    }

    /** Waits until the letters sent so far are acknowledged (tests; shutdown). */
    public void flush() {
        producer.flush();
    }

    private void remember(ConsumerRecord<String, byte[]> letter) {
        String letterStage = header(letter, DeadLetter.STAGE);
        String topic = header(letter, DeadLetter.SOURCE_TOPIC);
        String partition = header(letter, DeadLetter.SOURCE_PARTITION);
        String offset = header(letter, DeadLetter.SOURCE_OFFSET);
        if (stage.equals(letterStage) && topic != null && partition != null && offset != null) {
            written.add(topic + "/" + partition + "/" + offset);
        }
    }

    private static String id(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
