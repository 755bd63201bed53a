package io.facestream.pipeline.gallery;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.core.gallery.NewIdentity;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Avro records of the gallery topics, built in one place from the rules of {@code core.gallery}. */
public final class GalleryRecords {

    private GalleryRecords() {
    }

    /** The {@code identities} record of a new person. */
    public static Identity identity(NewIdentity person, Instant createdAt) {
        return Identity.newBuilder().setIdentityId(person.identityId()).setDisplayName(person.displayName())
                .setMetadata(Map.of()).setCreatedAt(createdAt).build();
    }

    /**
     * A sample to enroll.
     *
     * @param sourceFaceId the face it was labelled from, null for an uploaded photo
     * @param alignedCrop  the PNG it was embedded from, kept for re-embedding under a later model; null if none
     */
    public static GallerySample sample(GalleryKey key, List<Float> vector, String modelVersion, String sourceFaceId,
            ByteBuffer alignedCrop, Instant enrolledAt) {
        return GallerySample.newBuilder().setIdentityId(key.identityId()).setSampleId(key.sampleId())
                .setVector(vector).setModelVersion(modelVersion).setSourceFaceId(sourceFaceId)
                .setEnrolledAt(enrolledAt).setAlignedCrop(alignedCrop).build();
    }

    public static GallerySample sample(GalleryKey key, float[] vector, String modelVersion, String sourceFaceId,
            ByteBuffer alignedCrop, Instant enrolledAt) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        return sample(key, values, modelVersion, sourceFaceId, alignedCrop, enrolledAt);
    }

    /** The sample re-embedded under another model version: same person, crop and origin, the twin's key. */
    public static GallerySample twin(GallerySample source, String modelVersion, List<Float> vector) {
        GalleryKey twin = key(source).twin(modelVersion);
        return GallerySample.newBuilder(source).setSampleId(twin.sampleId()).setVector(vector)
                .setModelVersion(modelVersion).build();
    }

    /** A sample's key on the gallery topic. */
    public static GalleryKey key(GallerySample sample) {
        return GalleryKey.of(sample.getIdentityId(), sample.getSampleId());
    }

    /** A sample's vector as the indexes take it. */
    public static float[] vector(GallerySample sample) {
        float[] v = new float[sample.getVector().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = sample.getVector().get(i);
        }
        return v;
    }
}
