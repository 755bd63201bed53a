package io.facestream.pipeline.topics;

import io.facestream.kafka.topics.TopicSpec;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic of the pipeline: its name, how it is laid out, and the serde of its values. Keys are
 * strings everywhere (camera id, identity id, face id).
 */
public record Topic<V>(String name, int partitions, boolean compacted, Serde<V> valueSerde) {

    public TopicSpec spec() {
        return compacted ? TopicSpec.compacted(name, partitions) : TopicSpec.of(name, partitions);
    }

    /** The dead-letter topic for records of this topic that a stage cannot process. */
    public String deadLetterTopic() {
        return name + ".dlq";
    }

    public TopicSpec deadLetterSpec() {
        return TopicSpec.of(deadLetterTopic(), partitions);
    }
}
