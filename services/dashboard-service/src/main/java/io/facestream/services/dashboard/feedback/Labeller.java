package io.facestream.services.dashboard.feedback;

import io.facestream.core.quality.QualityGate;
import io.facestream.pipeline.quality.QualityRecords;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Feedback;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Verdict;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.dashboard.feedback.SightingRecorded.FaceFeedback;
import io.facestream.services.matcher.kafka.GalleryWriter;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes operators' labels: one {@code feedback} record per face, each distinct decision once, a new identity
 * once, and a gallery sample when the label says so. Labelling a face and labelling a sighting (all its faces)
 * go through here, one at a time, so the two never write the same decision twice; so does naming a cluster
 * of unknown faces.
 */
@Singleton
public class Labeller {

    /** Decisions remembered for idempotency: about 200 bytes each. */
    static final int REMEMBERED_DECISIONS = 50_000;

    private final GalleryWriter galleryWriter;
    private final FeedbackWriter writer;
    private final Clock clock;
    private final QualityGate enrollmentGate;
    private final FeedbackLedger ledger = new FeedbackLedger(REMEMBERED_DECISIONS);

    public Labeller(GalleryWriter galleryWriter, FeedbackWriter writer, Clock clock, PipelineConfig pipeline) {
        this.galleryWriter = galleryWriter;
        this.writer = writer;
        this.clock = clock;
        this.enrollmentGate = pipeline.enrollmentGate();
    }

    /**
     * Why this face may not join the gallery (the enrollment gate: a gallery sample stands for a person in every
     * later match), or empty. Faces from before quality was measured pass.
     */
    public Optional<String> galleryRefusal(FaceEmbedding face) {
        return face.getQuality() == null ? Optional.empty()
                : enrollmentGate.refusal(QualityRecords.fromAvro(face.getQuality()));
    }

    /** What a label did: the answer, and whether anything was written (false: all decided before). */
    public record Outcome<T>(T recorded, boolean wrote) {
    }

    /** Labels one face (the caller has checked that the identity exists). */
    public synchronized Outcome<Recorded> labelFace(FaceEmbedding face, Label label, String operator) {
        String key = label.key(face.getFaceId());
        Recorded earlier = ledger.face(key).orElse(null);
        if (earlier != null) {
            return new Outcome<>(earlier, false);
        }
        Label settled = label.verdict() == Verdict.NEW_IDENTITY ? label.withIdentity(newIdentity(label.name())) : label;
        Recorded recorded = write(face, settled, operator, settled.joinsGallery());
        ledger.recordFace(key, face.getFaceId(), recorded);
        return new Outcome<>(recorded, true);
    }

    /**
     * Labels every kept face of a sighting with one verdict: one feedback record per face not labelled so
     * before, one new identity for the whole sighting, and at most one gallery sample (the best face, or the
     * latest when that is gone; only a face the enrollment gate lets through), since a visit's faces are
     * near-duplicates of one another.
     *
     * @param faces the sighting's faces the dashboard still has, oldest first (not empty)
     * @param facesNotKept how many more it had
     */
    public synchronized Outcome<SightingRecorded> labelSighting(String sightingId, List<FaceEmbedding> faces,
            String bestFaceId, int facesNotKept, Label label, String operator) {
        if (faces.isEmpty()) {
            throw new IllegalArgumentException("a sighting label needs at least one face");
        }
        String key = label.key("sighting:" + sightingId);
        SightingRecorded earlier = ledger.sighting(key).orElse(null);
        Label settled = earlier != null ? label.withIdentity(earlier.identityId())
                : label.verdict() == Verdict.NEW_IDENTITY ? label.withIdentity(newIdentity(label.name())) : label;
        String galleryFace = earlier != null || !settled.joinsGallery() ? null : galleryFace(faces, bestFaceId);
        List<FaceFeedback> feedback = new ArrayList<>();
        boolean wrote = false;
        for (FaceEmbedding face : faces) {
            String faceKey = settled.key(face.getFaceId());
            Recorded recorded = ledger.face(faceKey).orElse(null);
            if (recorded == null) {
                recorded = write(face, settled, operator, face.getFaceId().equals(galleryFace));
                ledger.recordFace(faceKey, face.getFaceId(), recorded);
                wrote = true;
            }
            feedback.add(new FaceFeedback(face.getFaceId(), recorded.feedbackId()));
        }
        SightingRecorded answer = new SightingRecorded(sightingId, settled.identityId(), feedback, facesNotKept);
        ledger.recordSighting(key, sightingId, answer);
        return new Outcome<>(answer, wrote);
    }

    /** The best face if it may join the gallery, else the latest that may; null when none may. */
    private String galleryFace(List<FaceEmbedding> faces, String bestFaceId) {
        for (FaceEmbedding f : faces) {
            if (f.getFaceId().equals(bestFaceId) && galleryRefusal(f).isEmpty()) {
                return bestFaceId;
            }
        }
        for (int i = faces.size() - 1; i >= 0; i--) {
            if (galleryRefusal(faces.get(i)).isEmpty()) {
                return faces.get(i).getFaceId();
            }
        }
        return null;
    }

    /** Faces an operator has labelled (the review queue leaves them out). */
    public synchronized boolean faceLabelled(String faceId) {
        return ledger.faceLabelled(faceId);
    }

    /** Sightings an operator has labelled (the review queue leaves them out). */
    public synchronized boolean sightingLabelled(String sightingId) {
        return ledger.sightingLabelled(sightingId);
    }

    /** The decision an earlier, identical cluster label took, if there was one. */
    public synchronized Optional<ClusterRecorded> earlierClusterLabel(String clusterId, Label label) {
        return ledger.cluster(label.key("cluster:" + clusterId));
    }

    /**
     * Names a cluster of unknown faces: one feedback record per face not labelled so before, one new identity
     * for the whole cluster, and the given gallery faces (already through the enrollment gate) as samples, once.
     *
     * @param faceIds the cluster's faces
     * @param galleryFaces its best faces that may join the gallery (used only when the label joins the gallery)
     * @param beforeGallery called with the settled identity before any sample is written (the cluster is named
     *     first, so that its faces do not leave it for matching their own new samples)
     */
    public synchronized Outcome<ClusterRecorded> labelCluster(String clusterId, List<String> faceIds,
            List<FaceEmbedding> galleryFaces, Label label, String operator, Consumer<String> beforeGallery) {
        String key = label.key("cluster:" + clusterId);
        ClusterRecorded earlier = ledger.cluster(key).orElse(null);
        Label settled = earlier != null ? label.withIdentity(earlier.identityId())
                : label.verdict() == Verdict.NEW_IDENTITY ? label.withIdentity(newIdentity(label.name())) : label;
        beforeGallery.accept(settled.identityId());
        List<FaceFeedback> feedback = new ArrayList<>();
        boolean wrote = false;
        for (String faceId : faceIds) {
            String faceKey = settled.key(faceId);
            Recorded recorded = ledger.face(faceKey).orElse(null);
            if (recorded == null) {
                recorded = writeFeedback(faceId, settled, operator);
                ledger.recordFace(faceKey, faceId, recorded);
                wrote = true;
            }
            feedback.add(new FaceFeedback(faceId, recorded.feedbackId()));
        }
        int samples = 0;
        if (earlier == null && settled.joinsGallery()) {
            for (FaceEmbedding face : galleryFaces) {
                putSample(face, settled.identityId());
                samples++;
                wrote = true;
            }
        }
        ClusterRecorded answer = new ClusterRecorded(clusterId, settled.identityId(), feedback,
                earlier != null ? earlier.gallerySamples() : samples);
        ledger.recordCluster(key, answer);
        return new Outcome<>(answer, wrote);
    }

    private Recorded write(FaceEmbedding face, Label label, String operator, boolean toGallery) {
        Recorded recorded = writeFeedback(face.getFaceId(), label, operator);
        if (toGallery) {
            putSample(face, label.identityId());
        }
        return recorded;
    }

    private Recorded writeFeedback(String faceId, Label label, String operator) {
        Recorded recorded = new Recorded(UUID.randomUUID().toString(), label.identityId());
        writer.write(Feedback.newBuilder().setFeedbackId(recorded.feedbackId()).setFaceId(faceId)
                .setVerdict(label.verdict()).setIdentityId(label.identityId()).setOperator(operator)
                .setAt(clock.instant()).build());
        return recorded;
    }

    private void putSample(FaceEmbedding face, String identityId) {
        galleryWriter.putSample(GallerySample.newBuilder().setIdentityId(identityId)
                .setSampleId(UUID.randomUUID().toString()).setVector(face.getVector())
                .setModelVersion(face.getModelVersion()).setSourceFaceId(face.getFaceId())
                .setEnrolledAt(clock.instant()).setAlignedCrop(face.getAlignedCrop()).build());
    }

    private String newIdentity(String name) {
        String id = UUID.randomUUID().toString();
        galleryWriter.putIdentity(Identity.newBuilder().setIdentityId(id).setDisplayName(name).setMetadata(Map.of())
                .setCreatedAt(clock.instant()).build());
        return id;
    }
}
