package io.facestream.retraining.gallery;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.gallery.GalleryRecords;
import io.facestream.pipeline.gallery.GalleryReplica;
import io.facestream.pipeline.gallery.GallerySamples;
import io.facestream.pipeline.gallery.GalleryWriter;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.BoundingBox;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.GallerySample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-embeds the enrolled gallery under a new model version. Every enrolled sample keeps its aligned crop; for
 * a new version each sample gets a twin with the same crop, embedded by the new model, under the key
 * {@link GalleryKey#twin}. The old samples stay until the new version is active (the matcher keeps matching
 * old-version faces against them), and are pruned one rollout later. Erased identities are skipped. Reads the
 * gallery through a {@link GalleryReplica} of its own and tells a {@link GallerySamples.Listener} what it reads,
 * so the retrainer reads the gallery once for re-embedding and for its dataset; writes through a
 * {@link GalleryWriter}.
 */
public final class GalleryMigration implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryMigration.class);
    private static final Duration ACK_WITHIN = Duration.ofSeconds(30);
    private static final int BATCH = 32;
    /** Its replica's name, for {@code /health}. */
    private static final String REPLICA_NAME = "gallery-migration";

    private final GallerySamples samples;
    private final GalleryReplica replica;
    private final GalleryWriter writer;

    public GalleryMigration(KafkaClientSettings kafka, Topics topics) {
        this(kafka, topics, GallerySamples.Listener.NONE);
    }

    public GalleryMigration(KafkaClientSettings kafka, Topics topics, GallerySamples.Listener listener) {
        this.samples = new GallerySamples(listener);
        this.replica = new GalleryReplica(REPLICA_NAME, kafka, topics, samples, Duration.ofSeconds(30));
        this.writer = new GalleryWriter(kafka, topics);
    }

    public GalleryMigration start(Duration timeout) throws InterruptedException {
        replica.start();
        if (!replica.awaitCaughtUp(timeout)) {
            throw new IllegalStateException("the gallery was not read within " + timeout);
        }
        return this;
    }

    /**
     * Writes, for every enrolled sample that has a crop and no twin under {@code version} yet, its embedding
     * by {@code embedder}; waits until the broker has every record.
     *
     * @return samples written
     */
    public int migrate(CropEmbedder embedder) throws InterruptedException {
        String version = embedder.modelVersion();
        awaitReplica();
        List<GallerySample> todo = missing(version);
        int written = 0;
        for (int from = 0; from < todo.size(); from += BATCH) {
            List<GallerySample> batch = todo.subList(from, Math.min(todo.size(), from + BATCH));
            List<FaceCrop> crops = batch.stream().map(GalleryMigration::asCrop).toList();
            List<CropEmbedder.Outcome> outcomes = embedder.embed(crops);
            List<GallerySample> twins = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                GallerySample source = batch.get(i);
                CropEmbedder.Outcome o = outcomes.get(i);
                if (o.rejected()) {
                    LOG.warn("gallery sample {} not migrated to {}: {}", GalleryRecords.key(source), version,
                            o.rejection().getMessage());
                    continue;
                }
                twins.add(GalleryRecords.twin(source, version, o.embedding().getVector()));
            }
            written += writer.putSamples(twins);
        }
        awaitReplica();
        LOG.info("gallery migrated to {}: {} samples written", version, written);
        return written;
    }

    /**
     * Deletes samples of versions not in {@code keep}, but only those whose twin exists under
     * {@code active}: nothing enrolled is lost, whatever the order of events.
     *
     * @return tombstones written
     */
    public int prune(String active, Set<String> keep) throws InterruptedException {
        awaitReplica();
        Map<GalleryKey, GallerySample> all = samples.all();
        Set<GalleryKey> covered = new HashSet<>();
        all.forEach((key, s) -> {
            if (s.getModelVersion().equals(active)) {
                covered.add(key.base());
            }
        });
        List<GalleryKey> old = new ArrayList<>();
        all.forEach((key, s) -> {
            if (!keep.contains(s.getModelVersion()) && covered.contains(key.base())) {
                old.add(key);
            }
        });
        return writer.deleteSamples(old);
    }

    /** Samples per model version, for the job report and the tests. */
    public Map<String, Integer> samplesByVersion() {
        Map<String, Integer> counts = new TreeMap<>();
        samples.all().values().forEach(s -> counts.merge(s.getModelVersion(), 1, Integer::sum));
        return counts;
    }

    /** Waits until this migration's replica has read everything written to the gallery so far. */
    public boolean sync(Duration timeout) throws InterruptedException {
        return replica.sync(timeout);
    }

    private void awaitReplica() throws InterruptedException {
        if (!replica.sync(ACK_WITHIN)) {
            throw new IllegalStateException("the gallery replica did not catch up within " + ACK_WITHIN);
        }
    }

    /** Per sample that has a crop, one source for each base key without a twin under {@code version}. */
    private List<GallerySample> missing(String version) {
        Map<GalleryKey, GallerySample> sourceByBase = new HashMap<>();
        Set<GalleryKey> done = new HashSet<>();
        samples.all().forEach((key, s) -> {
            if (s.getModelVersion().equals(version)) {
                done.add(key.base());
            } else if (s.getAlignedCrop() != null) {
                sourceByBase.putIfAbsent(key.base(), s);
            }
        });
        sourceByBase.keySet().removeAll(done);
        return new ArrayList<>(sourceByBase.values());
    }

    private static FaceCrop asCrop(GallerySample s) {
        return FaceCrop.newBuilder().setFaceId(GalleryRecords.key(s).toString()).setFrameId("gallery")
                .setCameraId("gallery").setCapturedAt(s.getEnrolledAt()).setFaceIndex(0)
                .setBox(BoundingBox.newBuilder().setX1(0).setY1(0).setX2(112).setY2(112).build())
                .setLandmarks(List.of()).setDetectionScore(1f).setAlignedCrop(s.getAlignedCrop().duplicate())
                .setDetectorVersion("gallery").build();
    }

    /** Its replica's thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return replica.loops();
    }

    @Override
    public void close() {
        replica.close();
        writer.close();
    }
}
