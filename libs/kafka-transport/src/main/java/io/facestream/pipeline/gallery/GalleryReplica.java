package io.facestream.pipeline.gallery;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link GalleryState} in step with the compacted {@code gallery} and {@code identities} topics: reads
 * both from the beginning (every instance holds the whole gallery), then follows them. The only reader of these
 * topics into a replica: the matcher's {@link GalleryView} and the retrainer's {@link GallerySamples} both come
 * from here. The compacted topics are the durable store. A state kept in memory is rebuilt from them on every
 * start; one whose indexes are persisted ({@link GalleryState#resumeOffsets()}) is committed with the gallery
 * offsets it covers after the catch-up, every {@code commitInterval} and on close, and a restart reads the
 * gallery topic only from those offsets (the small identities topic is always read whole, so erasures are never
 * missed).
 */
public final class GalleryReplica implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryReplica.class);
    /** The matcher's replica, as {@code /health} names it. */
    private static final String NAME = "gallery-replica";

    private final GalleryState state;
    private final Topics topics;
    private final TopicFollower follower;
    private final Duration commitInterval;
    /** Per gallery partition, the offset after the last record applied. */
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
    private final Object commitLock = new Object();
    private volatile long lastCommitNanos = System.nanoTime();
    private final AtomicLong galleryRecords = new AtomicLong();

    public GalleryReplica(KafkaClientSettings kafka, Topics topics, GalleryState state) {
        this(NAME, kafka, topics, state, Duration.ofSeconds(30));
    }

    /** @param commitInterval how often a persisted state is committed while records keep coming */
    public GalleryReplica(KafkaClientSettings kafka, Topics topics, GalleryState state, Duration commitInterval) {
        this(NAME, kafka, topics, state, commitInterval);
    }

    /** @param name the follower thread's, for {@code /health} */
    public GalleryReplica(String name, KafkaClientSettings kafka, Topics topics, GalleryState state,
            Duration commitInterval) {
        this.state = state;
        this.topics = topics;
        this.commitInterval = commitInterval;
        Map<Integer, Long> resume = state.resumeOffsets();
        Map<TopicPartition, Long> start = new HashMap<>();
        resume.forEach((p, o) -> start.put(new TopicPartition(topics.gallery().name(), p), o));
        applied.putAll(resume);
        if (!start.isEmpty()) {
            LOG.info("{} resumes {} at {}", name, topics.gallery().name(), resume);
        }
        this.follower = new TopicFollower(name, kafka,
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
            LOG.info("gallery replica caught up: {} gallery records", galleryRecords.get());
            commit();
        }
        return done;
    }

    /**
     * Persists the state with the offsets applied so far. Taken before the indexes are written, the offsets never
     * run ahead of them; records applied meanwhile are in the commit too and are merely applied again on resume.
     */
    public void commit() {
        synchronized (commitLock) {
            Map<Integer, Long> offsets = Map.copyOf(applied);
            state.commit(offsets);
            lastCommitNanos = System.nanoTime();
        }
    }

    /** Waits until every gallery and identity record written so far has been applied to the state. */
    public boolean sync(Duration timeout) throws InterruptedException {
        return follower.sync(timeout);
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (apply(topics, state, r)) {
            applied.put(r.partition(), r.offset() + 1);
            galleryRecords.incrementAndGet();
            if (System.nanoTime() - lastCommitNanos >= commitInterval.toNanos()) {
                commit();
            }
        }
    }

    /**
     * Applies one record of either topic to the state; one that cannot be decoded, or a gallery record whose key is
     * not {@code identity/sample}, is skipped with a warning: one bad record must not stop the gallery.
     *
     * @return true for a record of the gallery topic (applied or skipped): its offset is covered
     */
    static boolean apply(Topics topics, GalleryState state, ConsumerRecord<String, byte[]> r) {
        boolean gallery = r.topic().equals(topics.gallery().name());
        try {
            if (gallery) {
                Optional<GalleryKey> key = GalleryKey.parse(r.key());
                if (key.isEmpty()) {
                    LOG.warn("skipping a gallery record at offset {}: its key {} is not identity/sample", r.offset(),
                            r.key());
                    return true;
                }
                GallerySample s = r.value() == null ? null
                        : topics.gallery().valueSerde().deserializer().deserialize(r.topic(), r.value());
                state.applySample(key.get(), s);
            } else {
                Identity i = r.value() == null ? null
                        : topics.identities().valueSerde().deserializer().deserialize(r.topic(), r.value());
                state.applyIdentity(r.key(), i);
            }
        } catch (SerializationException e) {
            LOG.warn("skipping undecodable {} record at offset {}: {}", r.topic(), r.offset(), e.getMessage());
        }
        return gallery;
    }

    /** Gallery records read since start, skipped ones too: after a resume, only the tail the indexes lacked. */
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
            LOG.error("gallery state not committed on close; the next start replays more of the topic", e);
        }
    }
}
