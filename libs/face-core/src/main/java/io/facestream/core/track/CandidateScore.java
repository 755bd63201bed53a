package io.facestream.core.track;

/**
 * An identity and its cosine to a face, or its aggregate over a track.
 *
 * @param identityId the identity
 * @param name its display name, null when the identity has none
 * @param score cosine (per face) or quality-weighted mean cosine (per track)
 */
public record CandidateScore(String identityId, String name, double score) {

    public CandidateScore {
        if (identityId == null) {
            throw new IllegalArgumentException("identityId is required");
        }
    }
}
