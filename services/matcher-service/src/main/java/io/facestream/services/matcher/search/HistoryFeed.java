package io.facestream.services.matcher.search;

import io.facestream.pipeline.gallery.GalleryRecords;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.erasure.FaceErasures;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Match;
import io.facestream.search.history.EnrolledSamples;
import io.facestream.search.history.HistoryEntry;
import io.facestream.search.history.HistoryIndex;
import io.facestream.search.history.HistoryQuery;
import io.facestream.search.history.HistoryResult;
import io.facestream.search.history.HistorySettings;
import io.facestream.search.history.QueryVector;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.matcher.config.SearchConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the history index from the topics, on one follower thread: every face of {@code embeddings}, the sighting
 * and identity of {@code matches}, the samples of {@code gallery} (the queries of a search by person, and what
 * erasure compares with), the erasures of {@code identities} (a tombstone erases the person from the history
 * on every matcher instance, which first marks the faces it erases on {@code face-erasures}) and those markers
 * (a marked face is never indexed, and a marker read after its face removes it: a history rebuilt from the topics
 * leaves out the faces of people erased before, even those only like their samples). The index and the
 * offsets it reached are committed every
 * {@link SearchConfig#commitInterval()}, so a restart resumes there instead of re-reading the topics.
 */
// Eager: it must be following the topics before the first search.
@Context
public class HistoryFeed implements Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryFeed.class);
    private static final Duration SYNC_WITHIN = Duration.ofSeconds(10);
    /** A sample removed on its own (its person not erased) is purged this long after its tombstone. */
    private static final Duration RETIRED_FOR = Duration.ofDays(1);

    private final Topics topics;
    private final SearchConfig config;
    private final Clock clock;
    private final HistoryIndex index;
    private final EnrolledSamples samples;
    private final FaceErasures erasures;
    private final TopicFollower follower;
    /** Next offset of each followed partition ("topic:partition"), follower thread only. */
    private final Map<String, Long> offsets = new HashMap<>();
    private long lastCommit;
    /** Records of the followed topics applied since this start (a resumed feed does not re-read older ones). */
    private final AtomicLong applied = new AtomicLong();

    public HistoryFeed(PipelineConfig pipeline, SearchConfig config, Topics topics, FaceErasures erasures, Clock clock)
            throws IOException {
        this.topics = topics;
        this.erasures = erasures;
        this.config = config;
        this.clock = clock;
        Path dir = Path.of(config.dir());
        index = HistoryIndex.open(dir.resolve("faces"), new HistorySettings(config.partition(), config.retention(),
                config.ramBufferMb(), 10_000), clock);
        samples = new EnrolledSamples(dir.resolve("samples"), clock);
        offsets.putAll(index.committedOffsets());
        lastCommit = clock.millis();
        List<String> followed = List.of(topics.embeddings().name(), topics.matches().name(), topics.gallery().name(),
                topics.identities().name(), erasures.topicName());
        follower = TopicFollower.resuming("history-feed", pipeline.kafka(ServicePrincipal.MATCHER), followed,
                resumeAt(offsets), KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES, this::apply).start();
    }

    private static Map<TopicPartition, Long> resumeAt(Map<String, Long> offsets) {
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((k, v) -> {
            int colon = k.lastIndexOf(':');
            out.put(new TopicPartition(k.substring(0, colon), Integer.parseInt(k.substring(colon + 1))), v);
        });
        return out;
    }

    /** Faces like the query's, within the filters; the history first catches up with what is in the topics now. */
    public HistoryResult search(HistoryQuery query) {
        sync();
        return index.search(query);
    }

    /** The gallery samples of a person, as queries; empty when nobody is enrolled under that id. */
    public List<QueryVector> samplesOf(String identityId) {
        sync();
        try {
            return samples.of(identityId, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records read from the followed topics since this start. */
    public long recordsSinceStart() {
        return applied.get();
    }

    /** Faces in the history index now. */
    public long size() {
        return index.size();
    }

    /** Waits until the history has applied everything in its topics now (e.g. an erasure just written). */
    public void sync() {
        try {
            if (!follower.sync(SYNC_WITHIN)) {
                throw new IllegalStateException("the history index did not catch up within " + SYNC_WITHIN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(topics.embeddings().name())) {
                addFace(topics.embeddings().valueSerde().deserializer().deserialize(r.topic(), r.value()));
            } else if (r.topic().equals(topics.matches().name())) {
                recordMatch(topics.matches().valueSerde().deserializer().deserialize(r.topic(), r.value()));
            } else if (r.topic().equals(topics.gallery().name())) {
                applySample(r.key(), r.value() == null ? null
                        : topics.gallery().valueSerde().deserializer().deserialize(r.topic(), r.value()));
            } else if (r.topic().equals(topics.identities().name()) && r.value() == null && r.key() != null) {
                erase(r.key(), Instant.ofEpochMilli(r.timestamp()));
            } else if (erasures.isMarker(r)) {
                erasures.apply(r).ifPresent(face -> index.remove(List.of(face)));
            }
        } catch (SerializationException | NullPointerException | IllegalArgumentException e) {
            // Like the other views of these topics: a record that cannot be decoded or indexed (e.g. a vector of
            // another dimension than the index's) is skipped, so one bad record cannot stop the history; the
            // stage that wrote it dead-letters what it cannot process.
            LOG.warn("history: skipping a {} record it cannot index, at partition {} offset {}: {}", r.topic(),
                    r.partition(), r.offset(), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the follower retries from this record, then reports FAILED
        }
        offsets.put(r.topic() + ":" + r.partition(), r.offset() + 1);
        applied.incrementAndGet();
        if (clock.millis() - lastCommit >= config.commitInterval().toMillis()) {
            commit();
        }
    }

    private void addFace(FaceEmbedding e) {
        if (erasures.isErased(e.getFaceId())) {
            return;
        }
        float[] v = new float[e.getVector().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = e.getVector().get(i);
        }
        index.add(new HistoryEntry(e.getFaceId(), e.getFrameId(), e.getCameraId(), e.getCapturedAt().toEpochMilli(),
                e.getModelVersion(), v));
    }

    private void recordMatch(Match m) {
        if (erasures.isErased(m.getFaceId())) {
            return;
        }
        Optional<String> identity = m.getDecision() == Decision.KNOWN && !m.getCandidates().isEmpty()
                ? Optional.of(m.getCandidates().get(0).getIdentityId()) : Optional.empty();
        index.recordMatch(m.getFaceId(), m.getCapturedAt().toEpochMilli(), Optional.ofNullable(m.getTrackId()),
                identity);
    }

    private void applySample(String key, GallerySample s) throws IOException {
        if (key == null) {
            return;
        }
        if (s == null) {
            samples.retire(key);
            return;
        }
        float[] v = new float[s.getVector().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = s.getVector().get(i);
        }
        samples.put(GalleryRecords.key(s).toString(), s.getIdentityId(),
                new QueryVector(s.getModelVersion(), v));
    }

    /**
     * The person's tombstone: their faces are marked erased (so that no index rebuilt from the topics brings them
     * back), then leave the history, then their samples go; committed at once. A failure to write the markers
     * throws before anything is erased, so the follower retries the tombstone and finds the same faces.
     */
    private void erase(String identityId, Instant erasedAt) throws IOException {
        List<QueryVector> theirs = samples.of(identityId, true);
        Set<String> faces = index.facesOf(identityId, theirs, config.eraseThreshold());
        erasures.mark(faces, identityId, erasedAt);
        int erased = index.erase(identityId, faces);
        samples.removeIdentity(identityId);
        LOG.info("history: erased {} faces of identity {} ({} samples compared)", erased, identityId, theirs.size());
        commit();
    }

    private void commit() {
        try {
            index.expire();
            samples.purgeRetired(RETIRED_FOR.toMillis());
            samples.commit();
            index.commit(offsets);
            lastCommit = clock.millis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PreDestroy
    void close() {
        follower.close();
        try {
            // The follower has stopped: the offsets are those of the last record applied.
            samples.commit();
            index.commit(offsets);
        } catch (IOException | RuntimeException e) {
            LOG.warn("history: final commit failed; the next start re-reads from the last commit", e);
        }
        try {
            samples.close();
            index.close();
        } catch (IOException e) {
            LOG.warn("history: closing the index failed", e);
        }
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }
}
