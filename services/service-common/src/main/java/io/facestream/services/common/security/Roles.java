package io.facestream.services.common.security;

/** The roles of FaceStream's accounts. */
public final class Roles {

    /** Watches matches and statistics. */
    public static final String VIEWER = "viewer";
    /** Also labels faces, enrolls and deletes people, changes camera settings. */
    public static final String OPERATOR = "operator";
    /** A camera agent or another system that only publishes frames. */
    public static final String CAMERA = "camera";

    private Roles() {
    }
}
