package io.facestream.pipeline.topics;

import io.facestream.kafka.topics.TopicSpec;
import io.facestream.schema.CameraSetting;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.FaceCluster;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.FaceErasure;
import io.facestream.schema.Feedback;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import io.facestream.schema.ModelVersion;
import io.facestream.schema.Sighting;
import io.facestream.schema.serde.AvroSerde;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic of the pipeline, declared once (../shared/DESIGN.md) and built once: each {@link Topic} and its
 * serde are made in the constructor, so the accessors cost nothing in per-record loops. Camera-keyed topics
 * share a partition count so one camera's frames, faces and matches stay ordered per partition; the gallery,
 * identities, models, sightings, clusters and cameras topics are compacted (latest value per key, tombstones delete). Frame
 * results have their own topic rather than sharing {@code faces}, so each topic carries exactly one record
 * type. Immutable and thread-safe.
 *
 * <p><b>Data at rest</b> (README, "Security"). The compacted topics hold people: an erasure (a tombstone) must
 * be physically gone within a bound, not whenever the log cleaner gets round to it. Their active segment rolls
 * every {@link #ERASURE_SEGMENT_MS} and {@code max.compaction.lag.ms} forces a cleaning at most as long after
 * a record was written whatever the dirty ratio, so an erased value is gone within 2 h plus the cleaner's lag;
 * the tombstone itself (which followers need to see the erasure) stays {@link #TOMBSTONE_RETENTION_MS} (1 day)
 * and goes at the next cleaning after that: everything of an erased person is gone within 1 day + 2 h +
 * cleaner lag. Frames, faces and matches are deleted by age and capped in bytes per partition (segments roll
 * hourly, so age-based deletion is not held back by an open segment).
 *
 * <p><b>Erased faces</b> ({@link #faceErasures()}). A face's records on {@code embeddings} and {@code matches}
 * outlive the erasure of its person (they expire by age), so an index rebuilt or replayed from them would bring
 * the face back. Each erased face gets a marker, deleted by age after {@link #ERASURES_RETENTION_MS}: longer
 * than the 7 days for which {@code embeddings}, {@code matches} and the indexes fed from them keep a face, so a
 * marker outlives every face it hides. No byte cap: a cap could delete a marker before its face.
 */
public final class Topics {

    /** How often the active segment of a compacted or time-limited topic rolls: 1 h. */
    public static final long ERASURE_SEGMENT_MS = 60 * 60 * 1000L;
    /** At most this long after a record is written its segment is compacted (KIP-354): 1 h. */
    public static final long MAX_COMPACTION_LAG_MS = 60 * 60 * 1000L;
    /** How long a tombstone stays for followers that were away: 1 day. */
    public static final long TOMBSTONE_RETENTION_MS = 24 * 60 * 60 * 1000L;
    /** Frames and face crops: kept 1 day. */
    public static final long FRAMES_RETENTION_MS = 24 * 60 * 60 * 1000L;
    /** Matches (the audit trail of decisions): kept 7 days. */
    public static final long MATCHES_RETENTION_MS = 7 * 24 * 60 * 60 * 1000L;
    /** Markers of erased faces: kept 8 days, a day longer than the faces they hide (7 days). */
    public static final long ERASURES_RETENTION_MS = MATCHES_RETENTION_MS + 24 * 60 * 60 * 1000L;
    /** Byte caps per partition: frames 1 GiB, faces and matches 256 MiB (4 partitions: 4 GiB and 1 GiB). */
    public static final long FRAMES_RETENTION_BYTES = 1L << 30;
    public static final long FACES_RETENTION_BYTES = 256L << 20;
    public static final long MATCHES_RETENTION_BYTES = 256L << 20;
    /** Segments a quarter of the byte cap, so the cap is kept to within a quarter. */
    private static final int CAP_SEGMENTS = 4;

    private final int partitions;
    private final Topic<Frame> frames;
    private final Topic<FaceCrop> faces;
    private final Topic<FrameResult> frameResults;
    private final Topic<FaceEmbedding> embeddings;
    private final Topic<Match> matches;
    private final Topic<Sighting> sightings;
    private final Topic<GallerySample> gallery;
    private final Topic<Identity> identities;
    private final Topic<Feedback> feedback;
    private final Topic<ModelVersion> models;
    private final Topic<FaceCluster> clusters;
    private final Topic<CameraSetting> cameras;
    private final Topic<FaceErasure> faceErasures;

    /** @param partitions partitions of the camera-keyed topics (the stages' parallelism) */
    public Topics(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive");
        }
        this.partitions = partitions;
        Map<String, String> frameConfigs = new HashMap<>(capped(FRAMES_RETENTION_MS, FRAMES_RETENTION_BYTES));
        frameConfigs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(FrameLimits.MAX_RECORD_BYTES));
        frames = new Topic<>("frames", partitions, false, AvroSerde.of(Frame.class), frameConfigs);
        faces = new Topic<>("faces", partitions, false, AvroSerde.of(FaceCrop.class),
                capped(FRAMES_RETENTION_MS, FACES_RETENTION_BYTES));
        frameResults = new Topic<>("frame-results", partitions, false, AvroSerde.of(FrameResult.class));
        embeddings = new Topic<>("embeddings", partitions, false, AvroSerde.of(FaceEmbedding.class));
        matches = new Topic<>("matches", partitions, false, AvroSerde.of(Match.class),
                capped(MATCHES_RETENTION_MS, MATCHES_RETENTION_BYTES));
        sightings = new Topic<>("sightings", partitions, true, AvroSerde.of(Sighting.class), erasable());
        gallery = new Topic<>("gallery", 1, true, AvroSerde.of(GallerySample.class), erasable());
        identities = new Topic<>("identities", 1, true, AvroSerde.of(Identity.class), erasable());
        feedback = new Topic<>("feedback", partitions, false, AvroSerde.of(Feedback.class));
        models = new Topic<>("models", 1, true, AvroSerde.of(ModelVersion.class), erasable());
        // small and read whole at start-up: one partition keeps a cluster's states and its merge in order
        clusters = new Topic<>("clusters", 1, true, AvroSerde.of(FaceCluster.class), erasable());
        // one partition: a handful of records, read whole by every follower; compacted like the others so a
        // camera's settings outlive any retention and a tombstone is gone within the same bound
        cameras = new Topic<>("cameras", 1, true, AvroSerde.of(CameraSetting.class), erasable());
        // one partition: small records, read whole by every matcher instance at start-up; deleted by age, not
        // compacted, so a marker lives its retention even when the same face is marked again
        faceErasures = new Topic<>("face-erasures", 1, false, AvroSerde.of(FaceErasure.class),
                Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(ERASURES_RETENTION_MS),
                        TopicConfig.SEGMENT_MS_CONFIG, Long.toString(ERASURE_SEGMENT_MS)));
    }

    /** A compacted topic whose tombstones take effect within a bound (see the class comment). */
    private static Map<String, String> erasable() {
        return Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(ERASURE_SEGMENT_MS),
                TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(MAX_COMPACTION_LAG_MS),
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
                TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(TOMBSTONE_RETENTION_MS));
    }

    /** A topic deleted by age and capped in bytes per partition. */
    private static Map<String, String> capped(long retentionMs, long retentionBytes) {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs),
                TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(retentionBytes),
                TopicConfig.SEGMENT_BYTES_CONFIG, Long.toString(retentionBytes / CAP_SEGMENTS),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(ERASURE_SEGMENT_MS));
    }

    /** Partitions of the camera-keyed topics. */
    public int partitions() {
        return partitions;
    }

    /** Key camera id; values up to {@link FrameLimits#MAX_RECORD_BYTES}. */
    public Topic<Frame> frames() {
        return frames;
    }

    public Topic<FaceCrop> faces() {
        return faces;
    }

    public Topic<FrameResult> frameResults() {
        return frameResults;
    }

    public Topic<FaceEmbedding> embeddings() {
        return embeddings;
    }

    public Topic<Match> matches() {
        return matches;
    }

    /** Key sighting id (= track id); one record per state of a person-visit, the latest kept. */
    public Topic<Sighting> sightings() {
        return sightings;
    }

    /** Key {@code identityId/sampleId}; a tombstone deletes the sample. */
    public Topic<GallerySample> gallery() {
        return gallery;
    }

    /** Key identity id; a tombstone erases the person everywhere. */
    public Topic<Identity> identities() {
        return identities;
    }

    /** Key face id. */
    public Topic<Feedback> feedback() {
        return feedback;
    }

    /**
     * Key {@code <model>/<version>}: each version's latest state; key {@code <model>}: the version ACTIVE now
     * (see {@code ModelAnnouncer}). One partition, so a version's state and the pointer stay in order.
     */
    public Topic<ModelVersion> models() {
        return models;
    }

    /**
     * Key cluster id: the latest state of each cluster of unknown faces (README, "Unknown clusters"); a record
     * with {@code mergedInto} says where an absorbed cluster went, a tombstone that the cluster is gone.
     */
    public Topic<FaceCluster> clusters() {
        return clusters;
    }

    /**
     * Key camera id: an operator's settings of the camera (threshold, enabled), the latest kept; written by the
     * camera API, followed by every matcher instance. A tombstone returns the camera to the configured defaults.
     */
    public Topic<CameraSetting> cameras() {
        return cameras;
    }

    /**
     * Key face id: a face an erasure removed (README, "Search" and "Unknown clusters"); written by the matcher
     * when it erases a person, followed by the history and the unknown-face clustering of every instance, which
     * leave a marked face out whether the marker or the face comes first.
     */
    public Topic<FaceErasure> faceErasures() {
        return faceErasures;
    }

    /** Every topic and the dead-letter topics of the stages that consume from them, for explicit creation. */
    public List<TopicSpec> specs() {
        List<TopicSpec> specs = new ArrayList<>();
        for (Topic<?> t : List.of(frames, faces, frameResults, embeddings, matches, sightings, gallery, identities,
                feedback, models, clusters, cameras, faceErasures)) {
            specs.add(t.spec());
        }
        // models.dlq: records the embedder and the matcher refuse to load (forged, outside the model store).
        for (Topic<?> consumed : List.of(frames, faces, embeddings, feedback, models)) {
            specs.add(consumed.deadLetterSpec());
        }
        return specs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topics t && t.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(partitions);
    }

    @Override
    public String toString() {
        return "Topics[partitions=" + partitions + "]";
    }
}
