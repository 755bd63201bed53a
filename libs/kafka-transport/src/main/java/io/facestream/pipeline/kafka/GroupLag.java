package io.facestream.pipeline.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The current lag of a consumer group on one topic, per partition, as the admin client sees it: log end (the last
 * stable offset, as a {@code read_committed} reader sees it) minus the group's committed offset; a partition the
 * group never committed counts from its earliest offset. For a group whose consumer is not ours to ask (Kafka
 * Streams). Not thread-safe; one caller at a time.
 */
public final class GroupLag implements AutoCloseable {

    private final Admin admin;
    private final String group;
    private final String topic;
    private final int partitions;
    private final Duration timeout;

    public GroupLag(KafkaClientSettings kafka, String group, String topic, int partitions, Duration timeout) {
        this.admin = Admin.create(kafka.admin());
        this.group = group;
        this.topic = topic;
        this.partitions = partitions;
        this.timeout = timeout;
    }

    /** Partition → records not yet committed by the group. */
    public Map<Integer, Long> measure() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            latest.put(tp, OffsetSpec.latest());
            if (committed.get(tp) == null) {
                earliest.put(tp, OffsetSpec.earliest());
            }
        }
        ListOffsetsOptions readCommitted = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latest, readCommitted).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> start = earliest.isEmpty() ? Map.of()
                : admin.listOffsets(earliest, readCommitted).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<Integer, Long> lag = new HashMap<>();
        end.forEach((tp, info) -> {
            OffsetAndMetadata c = committed.get(tp);
            long from = c != null ? c.offset() : start.get(tp).offset();
            lag.put(tp.partition(), Math.max(0, info.offset() - from));
        });
        return lag;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
