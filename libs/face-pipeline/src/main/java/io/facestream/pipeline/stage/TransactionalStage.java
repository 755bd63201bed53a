package io.facestream.pipeline.stage;

import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stage exactly once per record: each polled batch is processed and its outputs, dead letters and
 * consumed offsets are committed in one Kafka transaction. A crash or restart re-processes at most the
 * uncommitted batch, whose earlier outputs were never visible to {@code read_committed} readers, so every
 * input ends up as exactly one set of outputs or one dead letter.
 */
public final class TransactionalStage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalStage.class);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final StageConfig config;
    private final BatchProcessor processor;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong processed = new AtomicLong();
    private volatile double lag;
    private volatile boolean running = true;

    public TransactionalStage(StageConfig config, BatchProcessor processor) {
        this.config = config;
        this.processor = processor;
        Properties c = config.kafka().groupConsumer(config.groupId(), config.maxInputRecordBytes());
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxBatch()));
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Properties p = config.kafka().transactionalProducer(config.transactionalId(),
                config.maxInputRecordBytes() + DeadLetter.HEADROOM_BYTES);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "stage-" + config.stage());
    }

    public TransactionalStage start() {
        producer.initTransactions();
        consumer.subscribe(List.of(config.inputTopic()));
        thread.start();
        return this;
    }

    /**
     * Records waiting in this instance's partitions after its last poll (the consumer's own
     * {@code records-lag-max}; 0 before the first poll). Read on the stage thread, so safe to read anywhere.
     */
    public double lag() {
        return lag;
    }

    private double recordsLag() {
        for (var e : consumer.metrics().entrySet()) {
            if (e.getKey().name().equals("records-lag-max") && e.getKey().tags().size() == 1
                    && e.getValue().metricValue() instanceof Double d && !d.isNaN()) {
                return Math.max(0, d);
            }
        }
        return 0;
    }

    /** Input records committed so far by this instance. */
    public long processedRecords() {
        return processed.get();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(config.maxWait());
                lag = recordsLag();
                if (records.isEmpty()) {
                    continue;
                }
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
                records.forEach(batch::add);
                commitBatch(batch);
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            stopped.countDown();
        }
    }

    private void commitBatch(List<ConsumerRecord<String, byte[]>> batch) {
        try {
            List<StageOutput> outputs = processor.process(batch);
            producer.beginTransaction();
            for (StageOutput o : outputs) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(o.topic(), o.key(), o.value());
                o.headers().forEach((k, v) -> r.headers().add(k, v));
                producer.send(r);
            }
            producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
            producer.commitTransaction();
            processed.addAndGet(batch.size());
        } catch (WakeupException e) {
            abortQuietly();
            throw e;
        } catch (ProducerFencedException e) {
            // Another instance took this transactional id: this one is a zombie and must not go on.
            LOG.error("stage {}: fenced by a newer instance with transactional id {}; stopping", config.stage(),
                    config.transactionalId());
            running = false;
        } catch (KafkaException | IllegalStateException e) {
            LOG.warn("stage {}: batch of {} failed, retrying from the last commit: {}", config.stage(), batch.size(),
                    e.toString());
            abortQuietly();
            rewind(batch);
            sleep();
        } catch (RuntimeException e) {
            // A processor bug, not a bad record: retry rather than lose the batch.
            LOG.error("stage {}: processing failed, retrying the batch", config.stage(), e);
            abortQuietly();
            rewind(batch);
            sleep();
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    private void rewind(List<ConsumerRecord<String, byte[]>> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        first.forEach((tp, offset) -> {
            if (consumer.assignment().contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (RuntimeException ignored) {
            // no transaction open, or the producer is fenced: the next begin fails loudly
        }
    }

    private void sleep() {
        try {
            Thread.sleep(RETRY_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            if (thread.isAlive()) {
                stopped.await();
                thread.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            consumer.close(Duration.ofSeconds(2));
        }
        producer.close(Duration.ofSeconds(2));
    }
}
