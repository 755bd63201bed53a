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
import io.facestream.schema.serde.AvroSerde;
import java.util.ArrayList;
import java.util.List;

/**
 * Every topic of the pipeline, declared once (../shared/DESIGN.md). Camera-keyed topics share a partition
 * count so one camera's frames, faces and matches stay ordered per partition; the gallery, identities and
 * models topics are compacted (latest value per key, tombstones delete). Frame results have their own topic
 * rather than sharing {@code faces}, so each topic carries exactly one record type.
 *
 * @param partitions partitions of the camera-keyed topics (the stages' parallelism)
 */
public record Topics(int partitions) {

    public Topics {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive");
        }
    }

    public Topic<Frame> frames() {
        return new Topic<>("frames", partitions, false, AvroSerde.of(Frame.class));
    }

    public Topic<FaceCrop> faces() {
        return new Topic<>("faces", partitions, false, AvroSerde.of(FaceCrop.class));
    }

    public Topic<FrameResult> frameResults() {
        return new Topic<>("frame-results", partitions, false, AvroSerde.of(FrameResult.class));
    }

    public Topic<FaceEmbedding> embeddings() {
        return new Topic<>("embeddings", partitions, false, AvroSerde.of(FaceEmbedding.class));
    }

    public Topic<Match> matches() {
        return new Topic<>("matches", partitions, false, AvroSerde.of(Match.class));
    }

    /** Key {@code identityId/sampleId}; a tombstone deletes the sample. */
    public Topic<GallerySample> gallery() {
        return new Topic<>("gallery", 1, true, AvroSerde.of(GallerySample.class));
    }

    /** Key identity id; a tombstone erases the person everywhere. */
    public Topic<Identity> identities() {
        return new Topic<>("identities", 1, true, AvroSerde.of(Identity.class));
    }

    /** Key face id. */
    public Topic<Feedback> feedback() {
        return new Topic<>("feedback", partitions, false, AvroSerde.of(Feedback.class));
    }

    /**
     * Key {@code <model>/<version>}: each version's latest state; key {@code <model>}: the version ACTIVE now
     * (see {@code ModelAnnouncer}). One partition, so a version's state and the pointer stay in order.
     */
    public Topic<ModelVersion> models() {
        return new Topic<>("models", 1, true, AvroSerde.of(ModelVersion.class));
    }

    /** Every topic and the dead-letter topics of the stages that consume from them, for explicit creation. */
    public List<TopicSpec> specs() {
        List<TopicSpec> specs = new ArrayList<>();
        for (Topic<?> t : List.of(frames(), faces(), frameResults(), embeddings(), matches(), gallery(), identities(),
                feedback(), models())) {
            specs.add(t.spec());
        }
        for (Topic<?> consumed : List.of(frames(), faces(), embeddings(), feedback())) {
            specs.add(consumed.deadLetterSpec());
        }
        return specs;
    }
}
