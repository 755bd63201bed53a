package io.facestream.services.dashboard.faces;

import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.FaceEmbedding;
import io.facestream.services.common.config.PipelineConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
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
 * The most recent faces (embedding, model version, aligned crop) by face id, followed from {@code embeddings}:
 * thumbnails for the dashboard, and what operator feedback refers to. Faces older than the last
 * {@link #CAPACITY} are forgotten; feedback on them is refused as unknown.
 */
@Context
public class RecentFaces {

    public static final int CAPACITY = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(RecentFaces.class);

    private final Topics topics;
    private final Map<String, FaceEmbedding> faces = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FaceEmbedding> eldest) {
            return size() > CAPACITY;
        }
    };
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    public RecentFaces(PipelineConfig config, Topics topics) {
        this.topics = topics;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "recent-faces");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized Optional<FaceEmbedding> get(String faceId) {
        return Optional.ofNullable(faces.get(faceId));
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.embeddings().name(), Duration.ofSeconds(30))
                    .stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.endOffsets(partitions).forEach((tp, end) -> consumer.seek(tp, Math.max(0, end - CAPACITY)));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        FaceEmbedding e = topics.embeddings().valueSerde().deserializer().deserialize(r.topic(), r.value());
                        synchronized (this) {
                            faces.put(e.getFaceId(), e);
                        }
                    } catch (SerializationException | NullPointerException ex) {
                        LOG.debug("skipping embeddings record at offset {}", r.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("recent faces follower stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    @PreDestroy
    void close() {
        running = false;
        consumer.wakeup();
    }
}
