package io.facestream.pipeline.topics;

import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic of the pipeline: its name, how it is laid out, and the serde of its values. Keys are
 * strings everywhere (camera id, identity id, face id).
 */
public record Topic<V>(String name, int partitions, boolean compacted, Serde<V> valueSerde) {

    /**
     * Decodes one record value of this topic; what cannot be decoded is rejected with a reason, for the
     * consuming stage's dead-letter topic.
     */
    public V decode(byte[] value) throws RejectedRecordException {
        if (value == null || value.length == 0) {
            throw new RejectedRecordException("empty-record", name + " record has no value");
        }
        try {
            return valueSerde.deserializer().deserialize(name, value);
        } catch (SerializationException | ClassCastException e) {
            throw new RejectedRecordException("not-avro", "not a valid " + name + " record: " + e.getMessage(), e);
        }
    }

    public byte[] encode(V value) {
        return valueSerde.serializer().serialize(name, value);
    }

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
