package io.facestream.matching.gallery;

import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link GalleryView} in step with the compacted {@code gallery} and {@code identities} topics: reads
 * both from the beginning (every instance holds the whole gallery), then follows them. The compacted topics
 * are the durable store; the view is rebuilt from them on every start, which for a gallery of this kind
 * (a few hundred bytes per sample) takes seconds even at a million samples.
 */
public final class GalleryReplica implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryReplica.class);

    private final GalleryView view;
    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;

    public GalleryReplica(String bootstrapServers, Topics topics, GalleryView view) {
        this.view = view;
        this.topics = topics;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "gallery-replica");
        this.thread.setDaemon(true);
    }

    public GalleryReplica start() {
        thread.start();
        return this;
    }

    /** Waits until everything that was in the topics when the replica started has been applied. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.identities().name(), topics.gallery().name())) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    apply(r);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                    LOG.info("gallery replica caught up: {} identities", view.identities().size());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("gallery replica stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(topics.gallery().name())) {
                GallerySample s = r.value() == null ? null
                        : topics.gallery().valueSerde().deserializer().deserialize(r.topic(), r.value());
                view.applySample(r.key(), s);
            } else {
                Identity i = r.value() == null ? null
                        : topics.identities().valueSerde().deserializer().deserialize(r.topic(), r.value());
                view.applyIdentity(r.key(), i);
            }
        } catch (SerializationException e) {
            LOG.warn("skipping undecodable {} record at offset {}: {}", r.topic(), r.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
