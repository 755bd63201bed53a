package io.facestream.kafka.embedded;

/** The embedded broker failed to start or did not answer in time; the message says where and why. */
public class EmbeddedKafkaException extends IllegalStateException {

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
