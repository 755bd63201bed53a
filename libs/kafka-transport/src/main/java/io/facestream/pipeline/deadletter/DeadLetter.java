package io.facestream.pipeline.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a record went to a dead-letter topic, and where it came from. The record itself is forwarded with
 * its original key and bytes; this travels in its headers, so the reason is readable without any schema.
 */
public record DeadLetter(String stage, String errorClass, String message, String sourceTopic, int sourcePartition,
        long sourceOffset) {

    public static final String STAGE = "facestream.stage";
    public static final String ERROR_CLASS = "facestream.error.class";
    public static final String MESSAGE = "facestream.error.message";
    public static final String SOURCE_TOPIC = "facestream.source.topic";
    public static final String SOURCE_PARTITION = "facestream.source.partition";
    public static final String SOURCE_OFFSET = "facestream.source.offset";
    /** Longest error message kept in the headers, so a dead letter is never much larger than its record. */
    public static final int MAX_MESSAGE_CHARS = 2000;
    /**
     * Bytes a dead letter may add to its record (the six headers, the message at most {@link #MAX_MESSAGE_CHARS}
     * characters of up to 4 UTF-8 bytes each): a dead-letter topic and the producer that writes it allow this
     * much more than the source topic, so even a record at the source's size limit has a dead letter.
     */
    public static final int HEADROOM_BYTES = 64 << 10;

    /** Header name → UTF-8 value, in a stable order. */
    public Map<String, byte[]> headers() {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(STAGE, utf8(stage));
        h.put(ERROR_CLASS, utf8(errorClass));
        h.put(MESSAGE, utf8(message == null ? "" : truncate(message)));
        h.put(SOURCE_TOPIC, utf8(sourceTopic));
        h.put(SOURCE_PARTITION, utf8(Integer.toString(sourcePartition)));
        h.put(SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
        return h;
    }

    /** The dead-letter topic of a source topic. */
    public static String topicFor(String sourceTopic) {
        return sourceTopic + ".dlq";
    }

    private static String truncate(String s) {
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
