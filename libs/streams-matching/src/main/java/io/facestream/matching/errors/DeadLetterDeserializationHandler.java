package io.facestream.matching.errors;

import io.facestream.pipeline.deadletter.DeadLetterListener;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An input record the source's deserialisers refuse goes to its dead-letter topic with kind
 * {@value #DESERIALIZATION_FAILED}, and the partition goes on. (The matcher's source reads bytes, so its value
 * never fails here; a key, or a future typed source, could.)
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    public static final String DESERIALIZATION_FAILED = "deserialization-failed";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private String stage = "streams";
    private DeadLetterListener listener = DeadLetterListener.NONE;

    @Override
    public void configure(Map<String, ?> configs) {
        stage = StreamsDeadLetters.stage(configs);
        listener = StreamsDeadLetters.listener(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        LOG.warn("{}: {}-{}@{} cannot be deserialised ({}); dead-lettered", stage, record.topic(), record.partition(),
                record.offset(), exception.toString());
        listener.deadLettered(stage, DESERIALIZATION_FAILED);
        return Response.resume(List.of(StreamsDeadLetters.letter(stage, DESERIALIZATION_FAILED, exception,
                record.topic(), record.partition(), record.offset(), record.key(), record.value())));
    }
}
