package io.facestream.matching.errors;

import io.facestream.pipeline.deadletter.DeadLetterListener;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output that cannot be written for this one record: the source record goes to its dead-letter topic with kind
 * {@value #SERIALIZATION_FAILED} or {@value #PRODUCTION_FAILED} and the stream goes on, where Kafka lets it. The
 * default handler fails the task instead, and the replaced thread meets the same record again.
 *
 * <p>Under exactly-once this saves a partition from serialisation errors (they happen before the producer sees
 * the record). A record the producer or broker refuses (RecordTooLargeException) puts the transaction in an error
 * state; Streams then fails the task whatever a handler answers (measured on 4.3.1: "Cannot execute transactional
 * method because we are in an error state"). That is why the topology bounds what it writes before it writes it
 * ({@code MatchBounds}); this handler is the second line. Errors Streams treats as fatal (fencing,
 * authorisation) never reach it.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    public static final String PRODUCTION_FAILED = "production-failed";
    public static final String SERIALIZATION_FAILED = "serialization-failed";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private String stage = "streams";
    private DeadLetterListener listener = DeadLetterListener.NONE;

    @Override
    public void configure(Map<String, ?> configs) {
        stage = StreamsDeadLetters.stage(configs);
        listener = StreamsDeadLetters.listener(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        return deadLetter(context, record, exception, PRODUCTION_FAILED);
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
            SerializationExceptionOrigin origin) {
        return deadLetter(context, record, exception, SERIALIZATION_FAILED);
    }

    private Response deadLetter(ErrorHandlerContext context, ProducerRecord<?, ?> record, Exception exception,
            String kind) {
        if (context.topic() == null || record.topic().endsWith(".dlq")) {
            // Not from a source record (a punctuation), or the dead letter itself was refused: nothing to write
            // that could succeed. Say which record is lost rather than stop the partition for it.
            LOG.error("{}: could not write a record to {} (source {}-{}@{}); dropped", stage, record.topic(),
                    context.topic(), context.partition(), context.offset(), exception);
            return Response.resume();
        }
        LOG.warn("{}: output to {} of {}-{}@{} refused ({}); source record dead-lettered", stage, record.topic(),
                context.topic(), context.partition(), context.offset(), exception.toString());
        listener.deadLettered(stage, kind);
        return Response.resume(List.of(StreamsDeadLetters.letter(stage, kind, exception, context.topic(),
                context.partition(), context.offset(), context.sourceRawKey(), context.sourceRawValue())));
    }
}
