package io.facestream.pipeline.access;

import java.util.Locale;

/**
 * The Kafka identity of each FaceStream component: one SCRAM user per service, so each gets only the topics it
 * needs ({@link AccessPolicy}) and a leaked password exposes one service, not the pipeline. Camera agents
 * have their own user: they may only write frames, like the ingest service, but can be revoked apart from it.
 */
public enum ServicePrincipal {
    CAMERA, INGEST, DETECTOR, EMBEDDER, MATCHER, DASHBOARD, RETRAINER;

    /** The SCRAM username, e.g. {@code facestream-detector}. */
    public String username() {
        return "facestream-" + key();
    }

    /** The ACL principal, e.g. {@code User:facestream-detector}. */
    public String principal() {
        return "User:" + username();
    }

    /** The lower-case name used in configuration, e.g. {@code detector}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
