package io.facestream.services.dashboard.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.schema.Verdict;
import org.junit.jupiter.api.Test;

class LabelTest {

    @Test
    void eachVerdictNeedsWhatItNames() {
        assertEquals("'verdict' must be one of CONFIRM, RELABEL, NOT_THIS_PERSON, NEW_IDENTITY",
                assertThrows(IllegalArgumentException.class, () -> Label.of("MAYBE", "p", null, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Label.of(null, "p", null, null));
        assertEquals("'identityId' is required for NOT_THIS_PERSON", assertThrows(IllegalArgumentException.class,
                () -> Label.of("NOT_THIS_PERSON", " ", null, null)).getMessage());
        assertEquals("'name' is required",
                assertThrows(IllegalArgumentException.class, () -> Label.of("NEW_IDENTITY", null, "", null)).getMessage());
        Label created = Label.of("NEW_IDENTITY", "ignored", "  Ann Lee ", null);
        assertEquals(Verdict.NEW_IDENTITY, created.verdict());
        assertNull(created.identityId(), "a new identity's id is made when it is created");
        assertEquals("Ann Lee", created.name());
    }

    @Test
    void onlyConfirmAndRelabelFollowTheGalleryWishANewIdentityAlwaysJoins() {
        assertTrue(Label.of("CONFIRM", "p", null, true).joinsGallery());
        assertFalse(Label.of("CONFIRM", "p", null, null).joinsGallery());
        assertTrue(Label.of("RELABEL", "p", null, true).joinsGallery());
        assertFalse(Label.of("NOT_THIS_PERSON", "p", null, true).joinsGallery());
        assertTrue(Label.of("NEW_IDENTITY", null, "Ann", false).joinsGallery());
    }

    @Test
    void theSameDecisionHasTheSameKeyWhateverTheGalleryWish() {
        assertEquals(Label.of("RELABEL", "p", "stray", true).key("f"), Label.of("RELABEL", "p", null, false).key("f"));
        assertNotEquals(Label.of("RELABEL", "p", null, null).key("f"), Label.of("RELABEL", "q", null, null).key("f"));
        assertNotEquals(Label.of("RELABEL", "p", null, null).key("f"), Label.of("CONFIRM", "p", null, null).key("f"));
        assertNotEquals(Label.of("RELABEL", "p", null, null).key("f"), Label.of("RELABEL", "p", null, null).key("g"));
        Label created = Label.of("NEW_IDENTITY", null, "Ann", null);
        assertNotEquals(created.key("f"), created.withIdentity("id-1").key("f"),
                "a face of a sighting labelled as a new identity is keyed by the identity created for the sighting");
    }
}
