package io.facestream.services.dashboard.faces;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.FaceEmbedding;
import io.facestream.services.common.config.PipelineConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most recent faces (embedding, model version, aligned crop) by face id, followed from {@code embeddings}:
 * thumbnails for the dashboard, and what operator feedback refers to. Faces older than the last
 * {@link #CAPACITY} are forgotten; feedback on them is refused as unknown.
 */
@Context
public class RecentFaces implements Monitored {

    public static final int CAPACITY = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(RecentFaces.class);

    private final Topics topics;
    private final Map<String, FaceEmbedding> faces = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FaceEmbedding> eldest) {
            return size() > CAPACITY;
        }
    };
    private final TopicFollower follower;

    public RecentFaces(PipelineConfig config, Topics topics) {
        this.topics = topics;
        follower = new TopicFollower("recent-faces", config.kafka(ServicePrincipal.DASHBOARD), List.of(topics.embeddings().name()),
                CAPACITY, this::add).start();
    }

    private void add(ConsumerRecord<String, byte[]> r) {
        try {
            FaceEmbedding e = topics.embeddings().valueSerde().deserializer().deserialize(r.topic(), r.value());
            synchronized (this) {
                faces.put(e.getFaceId(), e);
            }
        } catch (SerializationException | NullPointerException ex) {
            LOG.debug("skipping embeddings record at offset {}", r.offset());
        }
    }

    public synchronized Optional<FaceEmbedding> get(String faceId) {
        return Optional.ofNullable(faces.get(faceId));
    }

    @PreDestroy
    void close() {
        follower.close();
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }
}
