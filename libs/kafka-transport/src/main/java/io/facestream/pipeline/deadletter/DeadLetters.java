package io.facestream.pipeline.deadletter;

import io.facestream.pipeline.stage.StageOutput;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Builds the dead-letter record of a consumed record: same key and bytes, the reason in headers. */
public final class DeadLetters {

    private DeadLetters() {
    }

    public static StageOutput of(String stage, ConsumerRecord<String, byte[]> source, RejectedRecordException reason) {
        DeadLetter letter = new DeadLetter(stage, reason.kind(), reason.getMessage(), source.topic(),
                source.partition(), source.offset());
        return new StageOutput(DeadLetter.topicFor(source.topic()), source.key(), source.value(), letter.headers());
    }
}
