package io.facestream.services.dashboard.feedback;

import io.facestream.core.quality.QualityGate;
import io.facestream.pipeline.quality.QualityRecords;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Feedback;
import io.facestream.schema.Verdict;
import io.facestream.services.dashboard.feedback.SightingRecorded.FaceFeedback;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes operators' labels: one {@code feedback} record per face, each distinct decision once, a new identity
 * once, and a gallery sample when the label says so. Labelling a face and labelling a sighting (all its faces)
 * go through here, one at a time, so the two never write the same decision twice; so does naming a cluster
 * of unknown faces. Plain Java: the feedback
 * rules are tested without HTTP, Kafka or Micronaut ({@code LabellerTest}); {@link FeedbackFactory} wires it.
 *
 * <p>Order of writes: a new identity first (the matcher creates it), then each face's feedback record, then its
 * gallery sample. A failure part-way (the matcher or Kafka down: the caller answers 502/504) records nothing in
 * the ledger, so the operator's retry writes the rest: a face's feedback written before the failure is written
 * again with a new id (the retrainer takes a repeat as the same label), and a new identity created before it is
 * created again (the operator sees two people of that name and can delete one).
 */
public final class Labeller {

    /** Decisions remembered for idempotency: about 200 bytes each. */
    static final int REMEMBERED_DECISIONS = 50_000;

    private final Gallery gallery;
    private final FeedbackSink writer;
    private final Clock clock;
    private final QualityGate enrollmentGate;
    private final FeedbackLedger ledger;

    /** @param enrollmentGate what a face must reach to join the gallery (as an enrollment photo must) */
    public Labeller(Gallery gallery, FeedbackSink writer, Clock clock, QualityGate enrollmentGate) {
        this(gallery, writer, clock, enrollmentGate, REMEMBERED_DECISIONS);
    }

    Labeller(Gallery gallery, FeedbackSink writer, Clock clock, QualityGate enrollmentGate, int rememberedDecisions) {
        this.gallery = gallery;
        this.writer = writer;
        this.clock = clock;
        this.enrollmentGate = enrollmentGate;
        this.ledger = new FeedbackLedger(rememberedDecisions);
    }

    /** Whether the person a label names exists (the caller answers 404 otherwise). */
    public boolean identityExists(String identityId) {
        return gallery.identityExists(identityId);
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
        Label settled = label.verdict() == Verdict.NEW_IDENTITY
                ? label.withIdentity(gallery.createIdentity(label.name(), operator)) : label;
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
                : label.verdict() == Verdict.NEW_IDENTITY
                        ? label.withIdentity(gallery.createIdentity(label.name(), operator)) : label;
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
                : label.verdict() == Verdict.NEW_IDENTITY
                        ? label.withIdentity(gallery.createIdentity(label.name(), operator)) : label;
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
                gallery.addSample(settled.identityId(), face, operator);
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
            gallery.addSample(label.identityId(), face, operator);
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
}
