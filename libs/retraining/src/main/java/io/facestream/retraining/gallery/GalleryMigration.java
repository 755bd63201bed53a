package io.facestream.retraining.gallery;

import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.BoundingBox;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.GallerySample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-embeds the enrolled gallery under a new model version. Every enrolled sample keeps its aligned crop; for
 * a new version each sample gets a twin with the same crop, embedded by the new model, under the key
 * {@code <identity>/<base sample id>@<version>}. The old samples stay until the new version is active (the
 * matcher keeps matching old-version faces against them), and are pruned one rollout later.
 * Erased identities are skipped. Follows the {@code gallery} and {@code identities} topics itself, and tells a
 * {@link Listener} what it reads, so the retrainer reads the gallery once for re-embedding and for its dataset.
 */
public final class GalleryMigration implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryMigration.class);
    private static final Duration ACK_WITHIN = Duration.ofSeconds(30);
    private static final int BATCH = 32;

    /** Told of every enrolled sample and every erasure, in topic order, on the follower's thread. */
    public interface Listener {

        Listener NONE = new Listener() {
            @Override
            public void enrolled(GallerySample sample) {
            }

            @Override
            public void erased(String identityId) {
            }
        };

        void enrolled(GallerySample sample);

        void erased(String identityId);
    }

    private final Topics topics;
    private final Listener listener;
    private final Map<String, GallerySample> samples = new ConcurrentHashMap<>();
    private final Set<String> erased = ConcurrentHashMap.newKeySet();
    private final TopicFollower follower;
    private final KafkaProducer<String, byte[]> producer;

    public GalleryMigration(KafkaClientSettings kafka, Topics topics) {
        this(kafka, topics, Listener.NONE);
    }

    public GalleryMigration(KafkaClientSettings kafka, Topics topics, Listener listener) {
        this.topics = topics;
        this.listener = listener;
        this.follower = new TopicFollower("gallery-migration", kafka,
                List.of(topics.identities().name(), topics.gallery().name()), -1, this::apply);
        producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new ByteArraySerializer());
    }

    public GalleryMigration start(Duration timeout) throws InterruptedException {
        follower.start();
        if (!follower.awaitCaughtUp(timeout)) {
            throw new IllegalStateException("the gallery was not read within " + timeout);
        }
        return this;
    }

    /** The id a sample's twins share: its sample id up to the first '@'. */
    public static String baseSampleId(String sampleId) {
        int at = sampleId.indexOf('@');
        return at < 0 ? sampleId : sampleId.substring(0, at);
    }

    /**
     * Writes, for every enrolled sample that has a crop and no twin under {@code version} yet, its embedding
     * by {@code embedder}; waits until the broker has every record.
     *
     * @return samples written
     */
    public int migrate(CropEmbedder embedder) throws InterruptedException {
        String version = embedder.modelVersion();
        if (!follower.sync(ACK_WITHIN)) {
            throw new IllegalStateException("the gallery follower did not catch up within " + ACK_WITHIN);
        }
        List<GallerySample> todo = missing(version);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int from = 0; from < todo.size(); from += BATCH) {
            List<GallerySample> batch = todo.subList(from, Math.min(todo.size(), from + BATCH));
            List<FaceCrop> crops = batch.stream().map(GalleryMigration::asCrop).toList();
            List<CropEmbedder.Outcome> outcomes = embedder.embed(crops);
            for (int i = 0; i < batch.size(); i++) {
                GallerySample source = batch.get(i);
                CropEmbedder.Outcome o = outcomes.get(i);
                if (o.rejected()) {
                    LOG.warn("gallery sample {}/{} not migrated to {}: {}", source.getIdentityId(),
                            source.getSampleId(), version, o.rejection().getMessage());
                    continue;
                }
                GallerySample twin = GallerySample.newBuilder(source)
                        .setSampleId(baseSampleId(source.getSampleId()) + "@" + version)
                        .setVector(o.embedding().getVector()).setModelVersion(version).build();
                sent.add(producer.send(new ProducerRecord<>(topics.gallery().name(),
                        key(twin.getIdentityId(), twin.getSampleId()), topics.gallery().encode(twin))));
            }
        }
        await(sent);
        if (!follower.sync(ACK_WITHIN)) {
            throw new IllegalStateException("the gallery follower did not catch up within " + ACK_WITHIN);
        }
        LOG.info("gallery migrated to {}: {} samples written", version, sent.size());
        return sent.size();
    }

    /**
     * Deletes samples of versions not in {@code keep}, but only those whose twin exists under
     * {@code active}: nothing enrolled is lost, whatever the order of events.
     *
     * @return tombstones written
     */
    public int prune(String active, Set<String> keep) throws InterruptedException {
        if (!follower.sync(ACK_WITHIN)) {
            throw new IllegalStateException("the gallery follower did not catch up within " + ACK_WITHIN);
        }
        Set<String> covered = new HashSet<>();
        for (GallerySample s : samples.values()) {
            if (s.getModelVersion().equals(active)) {
                covered.add(s.getIdentityId() + "/" + baseSampleId(s.getSampleId()));
            }
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Map.Entry<String, GallerySample> e : samples.entrySet()) {
            GallerySample s = e.getValue();
            if (!keep.contains(s.getModelVersion())
                    && covered.contains(s.getIdentityId() + "/" + baseSampleId(s.getSampleId()))) {
                sent.add(producer.send(new ProducerRecord<>(topics.gallery().name(), e.getKey(), null)));
            }
        }
        await(sent);
        return sent.size();
    }

    /** Samples per model version, for the job report and the tests. */
    public Map<String, Integer> samplesByVersion() {
        Map<String, Integer> counts = new TreeMap<>();
        samples.values().forEach(s -> counts.merge(s.getModelVersion(), 1, Integer::sum));
        return counts;
    }

    /** Waits until this follower has read everything written to the gallery so far. */
    public boolean sync(Duration timeout) throws InterruptedException {
        return follower.sync(timeout);
    }

    private List<GallerySample> missing(String version) {
        Map<String, GallerySample> sourceByBase = new HashMap<>();
        Set<String> done = new HashSet<>();
        for (GallerySample s : samples.values()) {
            String base = s.getIdentityId() + "/" + baseSampleId(s.getSampleId());
            if (s.getModelVersion().equals(version)) {
                done.add(base);
            } else if (s.getAlignedCrop() != null && !erased.contains(s.getIdentityId())) {
                sourceByBase.putIfAbsent(base, s);
            }
        }
        sourceByBase.keySet().removeAll(done);
        return new ArrayList<>(sourceByBase.values());
    }

    private static FaceCrop asCrop(GallerySample s) {
        return FaceCrop.newBuilder().setFaceId(s.getIdentityId() + "/" + s.getSampleId()).setFrameId("gallery")
                .setCameraId("gallery").setCapturedAt(s.getEnrolledAt()).setFaceIndex(0)
                .setBox(BoundingBox.newBuilder().setX1(0).setY1(0).setX2(112).setY2(112).build())
                .setLandmarks(List.of()).setDetectionScore(1f).setAlignedCrop(s.getAlignedCrop().duplicate())
                .setDetectorVersion("gallery").build();
    }

    private static String key(String identityId, String sampleId) {
        return identityId + "/" + sampleId;
    }

    private void await(List<Future<RecordMetadata>> sent) throws InterruptedException {
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(ACK_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Kafka did not accept a gallery record: " + e.getMessage(), e);
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(topics.identities().name())) {
                if (r.value() == null) {
                    erased.add(r.key());
                    samples.values().removeIf(s -> s.getIdentityId().equals(r.key()));
                    listener.erased(r.key());
                }
            } else if (r.value() == null) {
                samples.remove(r.key());
            } else {
                GallerySample s = topics.gallery().decode(r.value());
                if (!erased.contains(s.getIdentityId())) {
                    samples.put(r.key(), s);
                    listener.enrolled(s);
                }
            }
        } catch (RejectedRecordException e) {
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
        producer.close(Duration.ofSeconds(2));
    }
}
