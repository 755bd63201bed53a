package io.facestream.pipeline.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.core.gallery.NewIdentity;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GalleryRecordsTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void aNewIdentityBecomesItsRecord() {
        Identity ann = GalleryRecords.identity(NewIdentity.named(" Ann "), AT);
        assertEquals("Ann", ann.getDisplayName());
        assertEquals(Map.of(), ann.getMetadata());
        assertEquals(AT, ann.getCreatedAt());
        assertEquals(ann.getIdentityId(), GalleryKey.newSample(ann.getIdentityId()).identityId());
    }

    @Test
    void aSampleCarriesItsKeyAndATwinKeepsEverythingButKeyVectorAndVersion() {
        GalleryKey key = GalleryKey.of("ann", "s1");
        GallerySample enrolled = GalleryRecords.sample(key, new float[] {0.6f, 0.8f}, "v0", "face-1",
                ByteBuffer.wrap(new byte[] {7}), AT);
        assertEquals(key, GalleryRecords.key(enrolled));
        assertEquals(List.of(0.6f, 0.8f), enrolled.getVector());

        GallerySample v1 = GalleryRecords.twin(enrolled, "v1", List.of(0.8f, 0.6f));
        assertEquals(GalleryKey.of("ann", "s1@v1"), GalleryRecords.key(v1));
        assertEquals("v1", v1.getModelVersion());
        assertEquals(List.of(0.8f, 0.6f), v1.getVector());
        assertEquals("face-1", v1.getSourceFaceId());
        assertEquals(enrolled.getAlignedCrop(), v1.getAlignedCrop());
        assertEquals(AT, v1.getEnrolledAt());
        assertEquals(GalleryKey.of("ann", "s1@v2"), GalleryRecords.key(GalleryRecords.twin(v1, "v2", List.of(1f, 0f))));

        assertNull(GalleryRecords.sample(key, List.of(1f), "v0", null, null, AT).getAlignedCrop());
    }
}
