package io.facestream.services.dashboard.feedback;

import io.facestream.schema.FaceEmbedding;

/**
 * What labelling needs from the gallery, which the matcher owns: the dashboard never writes {@code gallery} or
 * {@code identities} itself ({@code MatcherClient} asks the matcher's HTTP API). Each call returns once the
 * matcher's gallery shows the change.
 */
public interface Gallery {

    boolean identityExists(String identityId);

    /** Creates a person and returns its id. */
    String createIdentity(String name, String operator);

    /** Adds an operator-labelled face to a person's samples (the enrollment gate was checked by the caller). */
    void addSample(String identityId, FaceEmbedding face, String operator);
}
