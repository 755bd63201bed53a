package io.facestream.services.dashboard.feedback;

import io.facestream.schema.Verdict;
import io.facestream.services.common.validation.InputLimits;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An operator's verdict, checked: the rules shared by labelling one face and labelling a sighting, without
 * HTTP or Kafka.
 *
 * @param identityId the person confirmed, relabelled to, or that it is not; null for a new identity
 * @param name the new person's name (NEW_IDENTITY only)
 * @param addToGallery the operator's wish; {@link #joinsGallery()} says whether it applies
 */
public record Label(Verdict verdict, String identityId, String name, boolean addToGallery) {

    /**
     * Checks a request's fields.
     *
     * @throws IllegalArgumentException with the reason the client is told (a 400)
     */
    public static Label of(String verdict, String identityId, String name, Boolean addToGallery) {
        Verdict v;
        try {
            v = Verdict.valueOf(String.valueOf(verdict));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'verdict' must be one of " + Arrays.stream(Verdict.values())
                    .map(Enum::name).collect(Collectors.joining(", ")));
        }
        if (v == Verdict.NEW_IDENTITY) {
            // the same limits as creating an identity: length, no control or bidi-override characters
            InputLimits.nameProblem("name", name).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
        if (v != Verdict.NEW_IDENTITY && blank(identityId)) {
            throw new IllegalArgumentException("'identityId' is required for " + v);
        }
        return new Label(v, v == Verdict.NEW_IDENTITY ? null : identityId, v == Verdict.NEW_IDENTITY ? name.strip() : null,
                Boolean.TRUE.equals(addToGallery));
    }

    /** A new identity always gets its face; confirm and relabel when asked; "not this person" never. */
    public boolean joinsGallery() {
        return verdict == Verdict.NEW_IDENTITY || (verdict != Verdict.NOT_THIS_PERSON && addToGallery);
    }

    /** This verdict with the identity it names settled (a new identity's id, once created). */
    Label withIdentity(String id) {
        return new Label(verdict, id, name, addToGallery);
    }

    /**
     * Names the decision about one subject (a face, or a sighting): the same key twice is the same decision,
     * written once. The gallery wish is not part of it, so changing only that does not label twice.
     */
    String key(String subject) {
        return subject + "|" + verdict + "|" + identityId + "|" + name;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
