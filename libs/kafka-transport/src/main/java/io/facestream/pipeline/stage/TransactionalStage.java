package io.facestream.pipeline.stage;

import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.deadletter.DeadLetterListener;
import io.facestream.pipeline.deadletter.DeadLetters;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.health.LoopHealth;
import io.facestream.pipeline.health.LoopState;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
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
 *
 * <p>A batch whose processing throws an unexpected {@link RuntimeException} (a processor bug or a record the
 * processor cannot cope with; not a {@link KafkaException} or an {@link UncheckedIOException}, which are the
 * environment's failures, not the record's) is tried {@link ProcessingRetries#maxAttempts} times
 * with back-off; then each of its records is processed on its own, and a record that still throws is
 * dead-lettered with kind {@value #PROCESSING_FAILED} and the exception in the message header. The others' outputs
 * and that dead letter are committed together with the offsets, so one poison pill never stops a partition.
 * Infrastructure failures (Kafka errors, I/O errors such as a full disk) are retried from the last commit for as
 * long as they last, and fencing stops the stage.
 */
public final class TransactionalStage implements AutoCloseable, Monitored {

    /** The dead-letter kind of a record whose processing kept throwing. */
    public static final String PROCESSING_FAILED = "processing-failed";

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalStage.class);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /** How often the lag is measured: two metadata requests, so not on every poll. */
    private static final Duration LAG_INTERVAL = Duration.ofSeconds(1);
    /** A position not known at once (a partition just assigned) is left for a later poll rather than waited for. */
    private static final Duration POSITION_TIMEOUT = Duration.ofMillis(100);

    private final StageConfig config;
    private final BatchProcessor processor;
    private final DeadLetterListener deadLetters;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private final LoopHealth health;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong processed = new AtomicLong();
    /** Per assigned partition: the group's committed offset, as far as known (used on the stage thread only). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /** Per assigned partition of the input topic: records not yet committed (log end − {@link #committed}). */
    private volatile Map<Integer, Long> lag = Map.of();
    private long lagMeasuredNanos = System.nanoTime() - LAG_INTERVAL.toNanos();
    private volatile boolean running = true;

    public TransactionalStage(StageConfig config, BatchProcessor processor) {
        this(config, processor, DeadLetterListener.NONE);
    }

    /** @param deadLetters told of each dead letter once its transaction committed */
    public TransactionalStage(StageConfig config, BatchProcessor processor, DeadLetterListener deadLetters) {
        this.config = config;
        this.processor = processor;
        this.deadLetters = deadLetters;
        Properties c = config.kafka().groupConsumer(config.groupId(), config.maxInputRecordBytes());
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxBatch()));
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Properties p = config.kafka().transactionalProducer(config.transactionalId(),
                config.maxInputRecordBytes() + DeadLetter.HEADROOM_BYTES);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A transaction spans only the sends and the commit of a batch (processing happens before it begins). An
        // instance killed with one open blocks read_committed readers of its output partitions, and the offset
        // fetch of the instance taking over its input partitions, until the coordinator aborts it: after 10 s,
        // as Kafka Streams sets it under exactly-once, rather than the producer's default of 60 s.
        p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "stage-" + config.stage());
        health = new LoopHealth("stage-" + config.stage());
    }

    public TransactionalStage start() {
        producer.initTransactions();
        consumer.subscribe(List.of(config.inputTopic()), new CommittedOffsets());
        thread.start();
        return this;
    }

    /**
     * Records of the input topic not yet committed by this instance, per partition it is assigned: the log end
     * (last stable offset) minus the committed offset, measured about once a second on the stage thread. Partitions
     * of other instances are absent. Safe to read from any thread.
     */
    public Map<Integer, Long> lag() {
        return lag;
    }

    /** {@link #lag()} of one partition, 0 when this instance does not own it. */
    public long lag(int partition) {
        return lag.getOrDefault(partition, 0L);
    }

    /** Input records committed so far by this instance. */
    public long processedRecords() {
        return processed.get();
    }

    @Override
    public List<LoopStatus> loops() {
        return List.of(health.status());
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(config.maxWait());
                Map<TopicPartition, OffsetAndMetadata> idle = idlePartitionsPastCommitted(records.partitions());
                if (!records.isEmpty() || !idle.isEmpty()) {
                    List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
                    records.forEach(batch::add);
                    commitBatch(batch, idle);
                }
                measureLag();
                health.iterated();
            }
        } catch (WakeupException | InterruptException e) {
            // stopping
        } catch (RuntimeException | Error e) {
            // Not expected here (every failure of a batch is handled in commitBatch): say so, loudly.
            LOG.error("stage {}: stopped by an unexpected failure", config.stage(), e);
            health.failed("stopped by " + e);
        } finally {
            if (running && health.state() != LoopState.FAILED) {
                health.failed("thread ended unexpectedly");
            } else {
                health.stopped(); // keeps FAILED when it failed
            }
            stopped.countDown();
        }
    }

    /**
     * @param idle offsets of partitions without records in this batch whose position moved past the committed
     *     offset (over a transaction marker): committed with the batch, or alone when the batch is empty
     */
    private void commitBatch(List<ConsumerRecord<String, byte[]>> batch, Map<TopicPartition, OffsetAndMetadata> idle) {
        try {
            List<StageOutput> outputs = batch.isEmpty() ? List.of() : processWithRetries(batch);
            producer.beginTransaction();
            for (StageOutput o : outputs) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(o.topic(), o.key(), o.value());
                o.headers().forEach((k, v) -> r.headers().add(k, v));
                producer.send(r);
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(batch);
            idle.forEach(offsets::putIfAbsent);
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
            processed.addAndGet(batch.size());
            countDeadLetters(outputs);
        } catch (WakeupException | InterruptException e) {
            abortQuietly();
            throw e;
        } catch (ProducerFencedException e) {
            // Another instance took this transactional id: this one is a zombie and must not go on.
            LOG.error("stage {}: fenced by a newer instance with transactional id {}; stopping", config.stage(),
                    config.transactionalId());
            health.failed("fenced by a newer instance with transactional id " + config.transactionalId());
            running = false;
        } catch (KafkaException | IllegalStateException | UncheckedIOException e) {
            LOG.warn("stage {}: batch of {} failed, retrying from the last commit: {}", config.stage(), batch.size(),
                    e.toString());
            abortQuietly();
            rewind(batch);
            pause(RETRY_BACKOFF);
        }
    }

    /**
     * The batch's outputs: the processor's on the whole batch, tried up to the configured number of times; when
     * every try throws, record by record, with a dead letter for each record that still throws on its own.
     * A {@link KafkaException} or {@link UncheckedIOException} is not the record's fault and goes up to the
     * infrastructure retry.
     */
    private List<StageOutput> processWithRetries(List<ConsumerRecord<String, byte[]>> batch) {
        ProcessingRetries retries = config.retries();
        for (int attempt = 1; ; attempt++) {
            try {
                return processor.process(batch);
            } catch (KafkaException | UncheckedIOException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= retries.maxAttempts()) {
                    LOG.error("stage {}: batch of {} failed {} times; processing it record by record", config.stage(),
                            batch.size(), attempt, e);
                    return processOneByOne(batch);
                }
                Duration wait = retries.backoffAfter(attempt);
                LOG.warn("stage {}: processing a batch of {} failed (attempt {} of {}), again in {}: {}",
                        config.stage(), batch.size(), attempt, retries.maxAttempts(), wait, e.toString());
                health.retrying(attempt, retries.maxAttempts(), e);
                pause(wait);
                if (!running) {
                    throw new WakeupException();
                }
            }
        }
    }

    private List<StageOutput> processOneByOne(List<ConsumerRecord<String, byte[]>> batch) {
        List<StageOutput> outputs = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            try {
                outputs.addAll(processor.process(List.of(r)));
            } catch (KafkaException | UncheckedIOException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("stage {}: record {}-{}@{} fails on its own; dead-lettering it", config.stage(), r.topic(),
                        r.partition(), r.offset(), e);
                outputs.add(DeadLetters.of(config.stage(), r, new RejectedRecordException(PROCESSING_FAILED,
                        "failed " + config.retries().maxAttempts() + " times in its batch and once alone: " + e, e)));
            }
        }
        return outputs;
    }

    private void countDeadLetters(List<StageOutput> outputs) {
        for (StageOutput o : outputs) {
            byte[] kind = o.headers().get(DeadLetter.ERROR_CLASS);
            if (o.topic().endsWith(".dlq") && kind != null) {
                try {
                    deadLetters.deadLettered(config.stage(), new String(kind, StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    LOG.warn("stage {}: dead-letter listener failed: {}", config.stage(), e.toString());
                }
            }
        }
    }

    /**
     * The offsets to commit with a batch: for each of its partitions, the consumer's position, which is past the
     * batch's last record and past any transaction marker behind it. Committing the record's offset + 1 instead
     * would leave a lag of 1 behind every marker of a transactional input topic for as long as nothing new arrives.
     */
    private Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        Set<TopicPartition> assigned = consumer.assignment();
        offsets.replaceAll((tp, o) -> assigned.contains(tp)
                ? new OffsetAndMetadata(Math.max(o.offset(), consumer.position(tp))) : o);
        return offsets;
    }

    /**
     * After a poll: a partition that returned no records has nothing in flight, so every record before its position
     * was processed and committed by an earlier batch; a position past the committed offset means the consumer
     * skipped a transaction marker (or the partition is empty and was never committed). Committing that position
     * lets the group's lag, as any tool computes it (log end − committed), reach 0 when the backlog is gone.
     */
    private Map<TopicPartition, OffsetAndMetadata> idlePartitionsPastCommitted(Set<TopicPartition> withRecords) {
        Map<TopicPartition, OffsetAndMetadata> idle = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (withRecords.contains(tp)) {
                continue;
            }
            try {
                long position = consumer.position(tp, POSITION_TIMEOUT);
                Long known = committed.get(tp);
                if (known == null || position > known) {
                    idle.put(tp, new OffsetAndMetadata(position));
                }
            } catch (TimeoutException e) {
                // just assigned, its committed offset not fetched yet: looked at after a later poll
            }
        }
        return idle;
    }

    /** Keeps {@link #committed} to the partitions assigned here, starting from what the group has committed. */
    private final class CommittedOffsets implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            try {
                consumer.committed(Set.copyOf(partitions), Duration.ofSeconds(5)).forEach((tp, o) -> {
                    if (o != null) {
                        committed.put(tp, o.offset());
                    }
                });
            } catch (TimeoutException e) {
                LOG.debug("stage {}: committed offsets not fetched: {}", config.stage(), e.toString());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(committed::remove);
        }
    }

    private void measureLag() {
        if (System.nanoTime() - lagMeasuredNanos < LAG_INTERVAL.toNanos()) {
            return;
        }
        lagMeasuredNanos = System.nanoTime();
        try {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(5));
            Map<Integer, Long> now = new HashMap<>();
            end.forEach((tp, offset) -> {
                Long known = committed.get(tp);
                if (known != null) {
                    now.put(tp.partition(), Math.max(0, offset - known));
                }
            });
            lag = Map.copyOf(now);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.debug("stage {}: lag not measured: {}", config.stage(), e.toString());
        }
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

    /** Waits, cut short by {@link #close}. */
    private void pause(Duration wait) {
        try {
            closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
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
