package io.facestream.pipeline.deadletter;

/**
 * A record that can never be processed (bad image, wrong schema, invalid values): retrying cannot help, so it
 * goes to the stage's dead-letter topic with this message as the reason.
 */
public final class RejectedRecordException extends Exception {

    private final String kind;

    public RejectedRecordException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RejectedRecordException(String kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** A short machine-readable category, e.g. {@code undecodable-image}, {@code not-avro}. */
    public String kind() {
        return kind;
    }
}
