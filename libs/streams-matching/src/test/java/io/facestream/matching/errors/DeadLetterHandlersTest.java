package io.facestream.matching.errors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.pipeline.deadletter.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** The handlers answer "resume" with the source record as a dead letter carrying the usual headers. */
class DeadLetterHandlersTest {

    private static final byte[] KEY = "cam-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {1, 2, 3};

    @Test
    void aSerializationFailureDeadLettersTheSourceRecordAndResumes() {
        List<String> counted = new ArrayList<>();
        DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(configs(counted));
        ProductionExceptionHandler.Response r = handler.handleSerializationError(context(), new ProducerRecord<>(
                "matches", "k", "v"), new SerializationException("bad"),
                ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        assertEquals(ProductionExceptionHandler.Result.RESUME, r.result());
        assertLetter(r.deadLetterQueueRecords(), DeadLetterProductionHandler.SERIALIZATION_FAILED);
        assertEquals(List.of("matcher/" + DeadLetterProductionHandler.SERIALIZATION_FAILED), counted);
    }

    @Test
    void aDeserializationFailureDeadLettersTheRecordAndResumes() {
        List<String> counted = new ArrayList<>();
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(configs(counted));
        DeserializationExceptionHandler.Response r = handler.handleError(context(),
                new ConsumerRecord<>("embeddings", 1, 42L, KEY, VALUE), new SerializationException("not avro"));
        assertEquals(DeserializationExceptionHandler.Result.RESUME, r.result());
        assertLetter(r.deadLetterQueueRecords(), DeadLetterDeserializationHandler.DESERIALIZATION_FAILED);
        assertEquals(List.of("matcher/" + DeadLetterDeserializationHandler.DESERIALIZATION_FAILED), counted);
    }

    private static void assertLetter(List<ProducerRecord<byte[], byte[]>> letters, String kind) {
        assertEquals(1, letters.size());
        ProducerRecord<byte[], byte[]> letter = letters.get(0);
        assertEquals("embeddings.dlq", letter.topic());
        assertArrayEquals(KEY, letter.key());
        assertArrayEquals(VALUE, letter.value());
        assertEquals("matcher", header(letter.headers(), DeadLetter.STAGE));
        assertEquals(kind, header(letter.headers(), DeadLetter.ERROR_CLASS));
        assertTrue(header(letter.headers(), DeadLetter.MESSAGE).contains("SerializationException"));
        assertEquals("embeddings", header(letter.headers(), DeadLetter.SOURCE_TOPIC));
        assertEquals("1", header(letter.headers(), DeadLetter.SOURCE_PARTITION));
        assertEquals("42", header(letter.headers(), DeadLetter.SOURCE_OFFSET));
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> configs(List<String> counted) {
        Properties p = StreamsDeadLetters.install(new Properties(), "matcher",
                (stage, reason) -> counted.add(stage + "/" + reason));
        return (Map<String, ?>) (Map<?, ?>) p;
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            public String topic() { return "embeddings"; }
            public int partition() { return 1; }
            public long offset() { return 42; }
            public Headers headers() { return new RecordHeaders(); }
            public String processorNodeId() { return "matcher"; }
            public TaskId taskId() { return new TaskId(0, 1); }
            public long timestamp() { return 0; }
            public byte[] sourceRawKey() { return KEY; }
            public byte[] sourceRawValue() { return VALUE; }
        };
    }
}
