package io.facestream.kafka.topics;

/** Topics could not be created, or did not become visible in time. */
public class TopicCreationException extends RuntimeException {

    public TopicCreationException(String message) {
        super(message);
    }

    public TopicCreationException(String message, Throwable cause) {
        super(message, cause);
    }
}
