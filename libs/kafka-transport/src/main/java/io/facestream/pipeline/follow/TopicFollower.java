package io.facestream.pipeline.follow;

import io.facestream.pipeline.health.LoopHealth;
import io.facestream.pipeline.health.LoopState;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.stage.ProcessingRetries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of some topics on its own thread, without a consumer group, and hands each committed
 * record to a callback: how a service keeps an in-memory view of a topic (the gallery, recent matches, the
 * active model). It starts at the beginning, or at the last {@code n} records of each partition, and can tell
 * when it has read everything that was there when it started.
 *
 * <p>It never dies silently: a failure (the callback throws, Kafka fails) is logged and retried with back-off from
 * the record that failed; after {@link ProcessingRetries#maxAttempts} failures in a row it gives up, and its
 * {@link #loops() status} says FAILED with the cause, for {@code /health}.
 */
public final class TopicFollower implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    /** Five tries in a row, 1, 2, 4, 8 s apart: a broker restart is survived, a callback that always throws is not. */
    public static final ProcessingRetries DEFAULT_RETRIES = new ProcessingRetries(5, Duration.ofSeconds(1));

    private final String name;
    private final List<String> topics;
    private final long lastRecords;
    private final Map<TopicPartition, Long> startOffsets;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    /** Callers of {@link #sync} waiting for the records that were in the topics when they asked. */
    private final Queue<CompletableFuture<Void>> syncRequests = new ConcurrentLinkedQueue<>();
    /** Taken-up sync requests and the end offsets each waits for (follower thread only). */
    private final Map<CompletableFuture<Void>, Map<TopicPartition, Long>> syncTargets = new HashMap<>();
    private final ProcessingRetries retries;
    private final LoopHealth health;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean running = true;

    /**
     * @param lastRecords start this many records before the end of each partition; negative = the beginning
     * @param onRecord called on the follower's thread, in partition order; must not block for long
     */
    public TopicFollower(String name, KafkaClientSettings kafka, List<String> topics, long lastRecords,
            Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this(name, kafka, topics, lastRecords, KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES, onRecord, DEFAULT_RETRIES);
    }

    /** @param maxRecordBytes the largest record of the followed topics (their {@code max.message.bytes}) */
    public TopicFollower(String name, KafkaClientSettings kafka, List<String> topics, long lastRecords,
            int maxRecordBytes, Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this(name, kafka, topics, lastRecords, maxRecordBytes, onRecord, DEFAULT_RETRIES);
    }

    /**
     * @param retries how often a failure in a row (of the callback, or of Kafka) is retried, with back-off, before
     *     the follower gives up and reports {@link LoopState#FAILED}
     */
    public TopicFollower(String name, KafkaClientSettings kafka, List<String> topics, long lastRecords,
            Consumer<ConsumerRecord<String, byte[]>> onRecord, ProcessingRetries retries) {
        this(name, kafka, topics, lastRecords, KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES, onRecord, retries);
    }

    /**
     * @param maxRecordBytes the largest record of the followed topics (their {@code max.message.bytes})
     * @param retries how often a failure in a row (of the callback, or of Kafka) is retried, with back-off, before
     *     the follower gives up and reports {@link LoopState#FAILED}
     */
    public TopicFollower(String name, KafkaClientSettings kafka, List<String> topics, long lastRecords,
            int maxRecordBytes, Consumer<ConsumerRecord<String, byte[]>> onRecord, ProcessingRetries retries) {
        this(name, kafka, topics, lastRecords, Map.of(), maxRecordBytes, onRecord, retries);
    }

    /**
     * A follower that resumes where a persistent view of the topics left off (e.g. an index on disk that stores
     * the next offset of each partition with its data), instead of re-reading them: a partition not in
     * {@code resumeAt} starts at its beginning.
     */
    public static TopicFollower resuming(String name, KafkaClientSettings kafka, List<String> topics,
            Map<TopicPartition, Long> resumeAt, int maxRecordBytes, Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        return new TopicFollower(name, kafka, topics, -1, resumeAt, maxRecordBytes, onRecord, DEFAULT_RETRIES);
    }

    /**
     * @param startOffsets where some partitions start instead (e.g. after the records a persisted view already
     *     holds); an offset before the partition's log starts at its earliest record, one past its end falls back
     *     to the consumer's reset policy
     */
    public TopicFollower(String name, KafkaClientSettings kafka, List<String> topics, long lastRecords,
            Map<TopicPartition, Long> startOffsets, int maxRecordBytes, Consumer<ConsumerRecord<String, byte[]>> onRecord,
            ProcessingRetries retries) {
        this.name = name;
        this.startOffsets = Map.copyOf(startOffsets);
        this.retries = retries;
        this.health = new LoopHealth(name);
        this.topics = List.copyOf(topics);
        this.lastRecords = lastRecords;
        this.onRecord = onRecord;
        consumer = new KafkaConsumer<>(kafka.follower(maxRecordBytes),
                new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    public TopicFollower start() {
        thread.start();
        return this;
    }

    /** Waits until everything that was in the topics when the follower started has been handed over. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until every record that is in the topics <em>now</em> has been handed over: a read-your-writes
     * barrier for a caller that knows something was written before it asked (e.g. the gallery of a model
     * version that was announced afterwards).
     *
     * @return false when the follower did not get there within the timeout
     */
    public boolean sync(Duration timeout) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        syncRequests.add(done); // taken up after the follower's current poll (at most 200 ms)
        LoopState state = health.state();
        if (state == LoopState.FAILED || state == LoopState.STOPPED) {
            done.completeExceptionally(new IllegalStateException(name + " is " + state + ": " + health.status().detail()));
        }
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + " stopped before it caught up", e.getCause());
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = null;
            Map<TopicPartition, Long> end = null;
            int failures = 0;
            boolean callbackFailed = false;
            while (running) {
                try {
                    if (partitions == null) {
                        partitions = assignAndSeek();
                        end = consumer.endOffsets(partitions);
                    }
                    int handed;
                    try {
                        handed = handOver(consumer.poll(Duration.ofMillis(200)));
                    } catch (RuntimeException e) {
                        callbackFailed = true;
                        throw e;
                    }
                    for (CompletableFuture<Void> request; (request = syncRequests.poll()) != null; ) {
                        syncTargets.put(request, consumer.endOffsets(partitions));
                    }
                    if (caughtUp.getCount() > 0 && reached(end)) {
                        caughtUp.countDown();
                    }
                    syncTargets.entrySet().removeIf(t -> reached(t.getValue()) && t.getKey().complete(null));
                    // A callback failure counts as over only once a record got through: after the seek back, a
                    // poll may return nothing before it returns the failing record again.
                    if (handed > 0 || !callbackFailed) {
                        failures = 0;
                        callbackFailed = false;
                    }
                    health.iterated();
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    failures++;
                    if (failures >= retries.maxAttempts()) {
                        LOG.error("{}: failed {} times in a row; giving up", name, failures, e);
                        health.failed("gave up after " + failures + " failures: " + e);
                        return;
                    }
                    Duration wait = retries.backoffAfter(failures);
                    LOG.error("{}: failed (attempt {} of {}), retrying in {}", name, failures,
                            retries.maxAttempts(), wait, e);
                    health.retrying(failures, retries.maxAttempts(), e);
                    if (closing.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("{} stopped by an unexpected failure", name, e);
            health.failed("stopped by " + e);
        } finally {
            if (running && health.state() != LoopState.FAILED) {
                health.failed("thread ended unexpectedly");
            } else {
                health.stopped(); // keeps FAILED when it failed
            }
            consumer.close(Duration.ofSeconds(1));
            IllegalStateException stopped = new IllegalStateException(name + " is closed");
            syncRequests.forEach(r -> r.completeExceptionally(stopped));
            syncTargets.keySet().forEach(r -> r.completeExceptionally(stopped));
        }
    }

    private List<TopicPartition> assignAndSeek() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        if (lastRecords < 0) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.endOffsets(partitions).forEach((tp, offset) -> consumer.seek(tp, Math.max(0, offset - lastRecords)));
        }
        if (!startOffsets.isEmpty()) {
            consumer.beginningOffsets(partitions).forEach((tp, first) -> {
                Long offset = startOffsets.get(tp);
                if (offset != null) {
                    consumer.seek(tp, Math.max(first, offset));
                }
            });
        }
        return partitions;
    }

    /**
     * Hands each record to the callback. When the callback throws, every partition of the batch is moved back to
     * its first record not handed over, so the retry starts with the record that failed and loses none.
     */
    private int handOver(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            next.put(tp, records.records(tp).get(0).offset());
        }
        try {
            for (TopicPartition tp : records.partitions()) {
                for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                    onRecord.accept(r);
                    next.put(tp, r.offset() + 1);
                }
            }
            return records.count();
        } catch (RuntimeException e) {
            next.forEach(consumer::seek);
            throw e;
        }
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        return targets.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public List<LoopStatus> loops() {
        return List.of(health.status());
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
