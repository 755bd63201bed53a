package io.facestream.matching.gallery;

import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link GalleryView} in step with the compacted {@code gallery} and {@code identities} topics: reads
 * both from the beginning (every instance holds the whole gallery), then follows them. The compacted topics
 * are the durable store; the view is rebuilt from them on every start, which for a gallery of this kind
 * (a few hundred bytes per sample) takes seconds even at a million samples.
 */
public final class GalleryReplica implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryReplica.class);

    private final GalleryView view;
    private final Topics topics;
    private final TopicFollower follower;

    public GalleryReplica(KafkaClientSettings kafka, Topics topics, GalleryView view) {
        this.view = view;
        this.topics = topics;
        this.follower = new TopicFollower("gallery-replica", kafka,
                List.of(topics.identities().name(), topics.gallery().name()), -1, this::apply);
    }

    public GalleryReplica start() {
        follower.start();
        return this;
    }

    /** Waits until everything that was in the topics when the replica started has been applied. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        boolean done = follower.awaitCaughtUp(timeout);
        if (done) {
            LOG.info("gallery replica caught up: {} identities", view.identities().size());
        }
        return done;
    }

    /** Waits until every gallery and identity record written so far has been applied to the view. */
    public boolean sync(Duration timeout) throws InterruptedException {
        return follower.sync(timeout);
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

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }

    @Override
    public void close() {
        follower.close();
    }
}
