package io.facestream.kafka.topics;

/**
 * A topic exists with a different partition count than its {@link TopicSpec}. Kafka cannot shrink a topic, and
 * growing it silently would move keys between partitions, so this is left to a person.
 */
public class TopicMismatchException extends TopicCreationException {

    public TopicMismatchException(String message) {
        super(message);
    }
}
