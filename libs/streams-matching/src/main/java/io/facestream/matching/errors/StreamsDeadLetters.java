package io.facestream.matching.errors;

import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.deadletter.DeadLetterListener;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Dead letters written by Kafka Streams' error handlers, outside the topology: a record whose output cannot be
 * serialised or written, or whose input cannot be deserialised, goes to {@code <source>.dlq} with the reason in the
 * usual headers, and the partition goes on (Kafka 4.x handlers return the dead letters with their {@code resume}
 * response, and Streams writes them in the task's transaction). See {@link DeadLetterProductionHandler} for what
 * exactly-once leaves to the topology.
 */
public final class StreamsDeadLetters {

    /** Streams config key under which {@link #install} passes the listener to the handlers (an object value). */
    public static final String LISTENER_CONFIG = "facestream.dead-letter-listener";
    /** Streams config key: the stage name written in the headers. */
    public static final String STAGE_CONFIG = "facestream.dead-letter-stage";

    private StreamsDeadLetters() {
    }

    /** Sets both handlers on Streams properties; {@code listener} is told of each dead letter they write. */
    public static Properties install(Properties streams, String stage, DeadLetterListener listener) {
        streams.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        streams.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class);
        streams.put(STAGE_CONFIG, stage);
        streams.put(LISTENER_CONFIG, listener);
        return streams;
    }

    static String stage(Map<String, ?> configs) {
        return configs.get(STAGE_CONFIG) instanceof String s ? s : "streams";
    }

    static DeadLetterListener listener(Map<String, ?> configs) {
        return configs.get(LISTENER_CONFIG) instanceof DeadLetterListener l ? l : DeadLetterListener.NONE;
    }

    /** The dead letter of a source record: its key and bytes, the reason and origin in headers. */
    static ProducerRecord<byte[], byte[]> letter(String stage, String kind, Exception reason, String topic,
            int partition, long offset, byte[] key, byte[] value) {
        DeadLetter letter = new DeadLetter(stage, kind, reason.toString(), topic, partition, offset);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(DeadLetter.topicFor(topic), key, value);
        letter.headers().forEach((k, v) -> r.headers().add(k, v));
        return r;
    }
}
