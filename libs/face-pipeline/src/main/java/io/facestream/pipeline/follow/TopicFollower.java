package io.facestream.pipeline.follow;

import io.facestream.pipeline.kafka.KafkaClientSettings;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final String name;
    private final List<String> topics;
    private final long lastRecords;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    /** Callers of {@link #sync} waiting for the records that were in the topics when they asked. */
    private final Queue<CompletableFuture<Void>> syncRequests = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    /**
     * @param lastRecords start this many records before the end of each partition; negative = the beginning
     * @param onRecord called on the follower's thread, in partition order; must not block for long
     */
    public TopicFollower(String name, KafkaClientSettings kafka, List<String> topics, long lastRecords,
            Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this(name, kafka, topics, lastRecords, KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES, onRecord);
    }

    /** @param maxRecordBytes the largest record of the followed topics (their {@code max.message.bytes}) */
    public TopicFollower(String name, KafkaClientSettings kafka, List<String> topics, long lastRecords,
            int maxRecordBytes, Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this.name = name;
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
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            if (lastRecords < 0) {
                consumer.seekToBeginning(partitions);
            } else {
                end.forEach((tp, offset) -> consumer.seek(tp, Math.max(0, offset - lastRecords)));
            }
            Map<CompletableFuture<Void>, Map<TopicPartition, Long>> syncTargets = new HashMap<>();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    onRecord.accept(r);
                }
                for (CompletableFuture<Void> request; (request = syncRequests.poll()) != null; ) {
                    syncTargets.put(request, consumer.endOffsets(partitions));
                }
                if (caughtUp.getCount() > 0 && reached(end)) {
                    caughtUp.countDown();
                }
                syncTargets.entrySet().removeIf(t -> reached(t.getValue()) && t.getKey().complete(null));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("{} stopped", name, e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
            IllegalStateException stopped = new IllegalStateException(name + " is closed");
            syncRequests.forEach(r -> r.completeExceptionally(stopped));
        }
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        return targets.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
