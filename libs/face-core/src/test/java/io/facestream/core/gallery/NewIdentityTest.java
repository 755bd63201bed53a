package io.facestream.core.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NewIdentityTest {

    @Test
    void aNewPersonGetsAFreshIdAndTheNameWithoutSurroundingBlanks() {
        NewIdentity ann = NewIdentity.named("  Ann Lee \n");
        assertEquals("Ann Lee", ann.displayName());
        assertNotEquals(ann.identityId(), NewIdentity.named("Ann Lee").identityId(), "ids are never reused");
        // The id can start a gallery key.
        assertEquals(ann.identityId(), GalleryKey.newSample(ann.identityId()).identityId());
    }

    @Test
    void aBlankNameOrAnIdThatCannotStartAKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> NewIdentity.named(" "));
        assertThrows(IllegalArgumentException.class, () -> NewIdentity.named(null));
        assertThrows(IllegalArgumentException.class, () -> new NewIdentity("a/b", "Ann"));
    }
}
