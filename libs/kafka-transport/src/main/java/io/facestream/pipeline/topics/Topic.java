package io.facestream.pipeline.topics;

import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic of the pipeline: its name, how it is laid out, the serde of its values and its topic configs
 * (which its dead-letter topic shares, with {@link DeadLetter#HEADROOM_BYTES} more room per record). Keys are
 * strings everywhere (camera id, identity id, face id).
 */
public record Topic<V>(String name, int partitions, boolean compacted, Serde<V> valueSerde,
        Map<String, String> configs) {

    public Topic {
        configs = Map.copyOf(configs);
    }

    public Topic(String name, int partitions, boolean compacted, Serde<V> valueSerde) {
        this(name, partitions, compacted, valueSerde, Map.of());
    }

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
        return withConfigs(compacted ? TopicSpec.compacted(name, partitions) : TopicSpec.of(name, partitions));
    }

    /** The dead-letter topic for records of this topic that a stage cannot process. */
    public String deadLetterTopic() {
        return name + ".dlq";
    }

    /**
     * Kept like this topic (a compacted topic's settings only mean something there: its dead letters keep the
     * broker's default retention), with room for the dead letter's headers above its record size limit.
     */
    public TopicSpec deadLetterSpec() {
        TopicSpec plain = TopicSpec.of(deadLetterTopic(), partitions);
        TopicSpec spec = compacted ? plain : withConfigs(plain);
        String max = configs.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        return max == null ? spec : spec.withConfig(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(Integer.parseInt(max) + DeadLetter.HEADROOM_BYTES));
    }

    private TopicSpec withConfigs(TopicSpec spec) {
        for (Map.Entry<String, String> c : configs.entrySet()) {
            spec = spec.withConfig(c.getKey(), c.getValue());
        }
        return spec;
    }
}
