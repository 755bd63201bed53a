package io.facestream.core.gallery;

import java.util.UUID;

/**
 * The rules of a new person in the gallery: a random id, never reused — an erasure is final, every reader keeps
 * an erased id's samples out for good — and the display name without surrounding blanks.
 */
public record NewIdentity(String identityId, String displayName) {

    public NewIdentity {
        if (identityId == null || identityId.isEmpty() || identityId.indexOf('/') >= 0) {
            // The id starts every gallery key of the person (GalleryKey).
            throw new IllegalArgumentException("an identity id must be non-empty and without '/', got " + identityId);
        }
        if (displayName == null || displayName.isBlank()) {
            throw new IllegalArgumentException("a display name must not be blank");
        }
        displayName = displayName.strip();
    }

    /** A person who is not in the gallery yet. */
    public static NewIdentity named(String displayName) {
        return new NewIdentity(UUID.randomUUID().toString(), displayName);
    }
}
