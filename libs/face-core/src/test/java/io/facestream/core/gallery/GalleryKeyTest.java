package io.facestream.core.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GalleryKeyTest {

    @Test
    void aKeyRoundTripsThroughItsRecordKey() {
        for (GalleryKey key : List.of(GalleryKey.of("ann", "s1"), GalleryKey.of("ann", "s1@v2"),
                GalleryKey.of("7f0c", "a/b"), GalleryKey.newSample("bob"))) {
            assertEquals(Optional.of(key), GalleryKey.parse(key.toString()), key.toString());
        }
        assertEquals("ann/s1", GalleryKey.of("ann", "s1").toString());
    }

    @Test
    void theFirstSlashEndsTheIdentity() {
        assertEquals(GalleryKey.of("ann", "s/1"), GalleryKey.parse("ann/s/1").orElseThrow());
    }

    @Test
    void whatIsNotIdentitySlashSampleDoesNotParse() {
        // no key, empty, no slash, no identity, no sample
        for (String key : new String[] {null, "", "ann", "/s1", "ann/"}) {
            assertTrue(GalleryKey.parse(key).isEmpty(), String.valueOf(key));
        }
        assertThrows(IllegalArgumentException.class, () -> GalleryKey.of("a/b", "s1"));
        assertThrows(IllegalArgumentException.class, () -> GalleryKey.of("ann", ""));
    }

    @Test
    void twinsShareTheirBaseAndATwinsTwinDoesNotChain() {
        GalleryKey enrolled = GalleryKey.of("ann", "s1");
        GalleryKey v1 = enrolled.twin("v1");
        assertEquals("ann/s1@v1", v1.toString());
        assertEquals("ann/s1@v2", v1.twin("v2").toString());
        assertEquals(enrolled, v1.base());
        assertEquals("s1", v1.baseSampleId());
        assertEquals(enrolled, enrolled.base());
    }

    @Test
    void newSamplesGetDistinctIds() {
        assertNotEquals(GalleryKey.newSample("ann"), GalleryKey.newSample("ann"));
    }
}
