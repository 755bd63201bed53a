package io.facestream.pipeline.topics;

import io.facestream.kafka.topics.TopicSpec;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.FaceEmbedding;
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
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic of the pipeline, declared once (../shared/DESIGN.md) and built once: each {@link Topic} and its
 * serde are made in the constructor, so the accessors cost nothing in per-record loops. Camera-keyed topics
 * share a partition count so one camera's frames, faces and matches stay ordered per partition; the gallery,
 * identities, models and sightings topics are compacted (latest value per key, tombstones delete). Frame
 * results have their own topic rather than sharing {@code faces}, so each topic carries exactly one record
 * type. Immutable and thread-safe.
 */
public final class Topics {

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

    /** @param partitions partitions of the camera-keyed topics (the stages' parallelism) */
    public Topics(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive");
        }
        this.partitions = partitions;
        frames = new Topic<>("frames", partitions, false, AvroSerde.of(Frame.class),
                Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(FrameLimits.MAX_RECORD_BYTES)));
        faces = new Topic<>("faces", partitions, false, AvroSerde.of(FaceCrop.class));
        frameResults = new Topic<>("frame-results", partitions, false, AvroSerde.of(FrameResult.class));
        embeddings = new Topic<>("embeddings", partitions, false, AvroSerde.of(FaceEmbedding.class));
        matches = new Topic<>("matches", partitions, false, AvroSerde.of(Match.class));
        sightings = new Topic<>("sightings", partitions, true, AvroSerde.of(Sighting.class));
        gallery = new Topic<>("gallery", 1, true, AvroSerde.of(GallerySample.class));
        identities = new Topic<>("identities", 1, true, AvroSerde.of(Identity.class));
        feedback = new Topic<>("feedback", partitions, false, AvroSerde.of(Feedback.class));
        models = new Topic<>("models", 1, true, AvroSerde.of(ModelVersion.class));
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

    /** Every topic and the dead-letter topics of the stages that consume from them, for explicit creation. */
    public List<TopicSpec> specs() {
        List<TopicSpec> specs = new ArrayList<>();
        for (Topic<?> t : List.of(frames, faces, frameResults, embeddings, matches, sightings, gallery, identities,
                feedback, models)) {
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
