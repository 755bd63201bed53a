package io.facestream.pipeline.deadletter;

/**
 * Told of each dead letter once it is committed (for the {@code facestream_dlq} counter). Called on the stage's
 * thread; must be quick and must not throw.
 */
@FunctionalInterface
public interface DeadLetterListener {

    DeadLetterListener NONE = (stage, reason) -> { };

    /**
     * @param stage the stage that wrote it ({@link DeadLetter#STAGE})
     * @param reason its kind ({@link DeadLetter#ERROR_CLASS}), e.g. {@code undecodable-image},
     *     {@code processing-failed}
     */
    void deadLettered(String stage, String reason);
}
