package io.facestream.retraining.dataset;

import io.facestream.schema.Feedback;
import io.facestream.schema.GallerySample;
import io.facestream.training.dataset.LabelledFaces;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns labels into training data: operator feedback and enrollment photos become faces of an identity in a
 * {@link LabelledFaces} store, "not this person" becomes a hard negative of the person named, and an erased
 * identity disappears from it. Counts the faces labelled since the last training, for the retrain trigger.
 */
public final class FeedbackDataset {

    private final LabelledFaces faces;
    private final AtomicLong labelledSinceTraining = new AtomicLong();
    /** Identities erased since start: their late or replayed labels must not bring their faces back. */
    private final Set<String> erased = ConcurrentHashMap.newKeySet();

    public FeedbackDataset(LabelledFaces faces) {
        this.faces = faces;
    }

    public LabelledFaces faces() {
        return faces;
    }

    /**
     * Applies one verdict to the crop it judged. CONFIRM, RELABEL and NEW_IDENTITY make the crop a face of
     * {@code identityId} (and of nobody else: a relabelled face leaves the class it was in); NOT_THIS_PERSON
     * takes it out of the named person's faces and keeps it as a hard negative for them.
     *
     * @return false when the identity has been erased (the label is dropped)
     * @throws IllegalArgumentException for a verdict that names no usable identity
     */
    public boolean apply(Feedback feedback, byte[] crop) throws IOException {
        String identity = feedback.getIdentityId();
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException(feedback.getVerdict() + " feedback " + feedback.getFeedbackId()
                    + " names no identity");
        }
        if (erased.contains(identity)) {
            return false;
        }
        switch (feedback.getVerdict()) {
            case CONFIRM, NEW_IDENTITY -> faces.add(identity, crop);
            case RELABEL -> faces.relabel(identity, crop);
            case NOT_THIS_PERSON -> faces.notThisPerson(identity, crop);
        }
        labelledSinceTraining.incrementAndGet();
        return true;
    }

    /** An enrollment sample with its crop is a labelled face too; samples without a crop are skipped. */
    public boolean addEnrollment(GallerySample sample) throws IOException {
        ByteBuffer crop = sample.getAlignedCrop();
        if (crop == null || erased.contains(sample.getIdentityId())) {
            return false;
        }
        byte[] png = new byte[crop.remaining()];
        crop.duplicate().get(png);
        faces.add(sample.getIdentityId(), png);
        return true;
    }

    /** Erasure: the person's faces and negatives are deleted. */
    public void erase(String identityId) throws IOException {
        erased.add(identityId);
        faces.erase(identityId);
    }

    /** Faces labelled by operators since the last training started. */
    public long labelledSinceTraining() {
        return labelledSinceTraining.get();
    }

    /** A training has started on everything labelled so far. */
    public void trainingStarted() {
        labelledSinceTraining.set(0);
    }
}
