package io.facestream.matching.gallery;

import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link GalleryView} in step with the compacted {@code gallery} and {@code identities} topics: reads
 * both from the beginning (every instance holds the whole gallery), then follows them. The compacted topics
 * are the durable store. A view with in-memory indexes is rebuilt from them on every start; a view whose
 * indexes are persisted ({@link GalleryView#resumeOffsets()}) is committed with the gallery offsets it covers
 * after the catch-up, every {@code commitInterval} and on close, and a restart reads the gallery topic only
 * from those offsets (the small identities topic is always read whole, so erasures are never missed).
 */
public final class GalleryReplica implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryReplica.class);

    private final GalleryView view;
    private final Topics topics;
    private final TopicFollower follower;
    private final Duration commitInterval;
    /** Per gallery partition, the offset after the last record applied. */
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
    private final Object commitLock = new Object();
    private volatile long lastCommitNanos = System.nanoTime();
    private final AtomicLong galleryRecords = new AtomicLong();

    public GalleryReplica(KafkaClientSettings kafka, Topics topics, GalleryView view) {
        this(kafka, topics, view, Duration.ofSeconds(30));
    }

    /** @param commitInterval how often a persisted view is committed while records keep coming */
    public GalleryReplica(KafkaClientSettings kafka, Topics topics, GalleryView view, Duration commitInterval) {
        this.view = view;
        this.topics = topics;
        this.commitInterval = commitInterval;
        Map<TopicPartition, Long> start = new HashMap<>();
        view.resumeOffsets().forEach((p, o) -> start.put(new TopicPartition(topics.gallery().name(), p), o));
        applied.putAll(view.resumeOffsets());
        if (!start.isEmpty()) {
            LOG.info("gallery replica resumes {} at {}", topics.gallery().name(), view.resumeOffsets());
        }
        this.follower = new TopicFollower("gallery-replica", kafka,
                List.of(topics.identities().name(), topics.gallery().name()), -1, start,
                KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES, this::apply, TopicFollower.DEFAULT_RETRIES);
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
            commit();
        }
        return done;
    }

    /**
     * Persists the view with the offsets applied so far. Taken before the indexes are written, the offsets never
     * run ahead of them; records applied meanwhile are in the commit too and are merely applied again on resume.
     */
    public void commit() {
        synchronized (commitLock) {
            Map<Integer, Long> offsets = Map.copyOf(applied);
            view.commit(offsets);
            lastCommitNanos = System.nanoTime();
        }
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
                applied.put(r.partition(), r.offset() + 1);
                galleryRecords.incrementAndGet();
                if (System.nanoTime() - lastCommitNanos >= commitInterval.toNanos()) {
                    commit();
                }
            } else {
                Identity i = r.value() == null ? null
                        : topics.identities().valueSerde().deserializer().deserialize(r.topic(), r.value());
                view.applyIdentity(r.key(), i);
            }
        } catch (SerializationException e) {
            LOG.warn("skipping undecodable {} record at offset {}: {}", r.topic(), r.offset(), e.getMessage());
            if (r.topic().equals(topics.gallery().name())) {
                applied.put(r.partition(), r.offset() + 1);
            }
        }
    }

    /** Gallery records applied since start: after a resume, only the tail the persisted indexes lacked. */
    public long galleryRecordsApplied() {
        return galleryRecords.get();
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }

    @Override
    public void close() {
        follower.close(); // its thread has stopped: the last offsets match the view
        try {
            commit();
        } catch (RuntimeException e) {
            LOG.error("gallery index not committed on close; the next start replays more of the topic", e);
        }
    }
}
