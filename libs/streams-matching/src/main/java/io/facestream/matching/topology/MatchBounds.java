package io.facestream.matching.topology;

/**
 * Limits that keep every {@code Match} far below Kafka's record size whatever the gallery holds. Names and ids are
 * accepted elsewhere (the HTTP API limits names to {@value #MAX_NAME_CHARS} characters), but anyone who can write
 * the {@code identities} topic could enroll a 300 KB name; without these bounds five of them made the next match
 * too large to write, and Kafka Streams failed on it again and again. With them a match holds at most
 * {@value #MAX_TOP_K} candidates of at most ~1.2 KB each.
 */
public final class MatchBounds {

    /** Longest candidate name written into a match; a longer one is cut and ends in "…". */
    public static final int MAX_NAME_CHARS = 200;
    /** Longest candidate identity id written (ids are UUIDs; a longer one was not made by FaceStream). */
    public static final int MAX_ID_CHARS = 200;
    /** Most candidates per match (the configured top-k may not exceed it). */
    public static final int MAX_TOP_K = 20;
    /**
     * Largest encoded match written; a larger one (only an embedding with huge ids makes one) is dead-lettered
     * instead. It must be checked before the producer sees the record: under exactly-once a record the producer
     * refuses (RecordTooLargeException) puts the whole transaction in an error state, so no exception handler can
     * skip it and the task fails on it again after every restart. Kafka's default limit is 1 MiB.
     */
    public static final int MAX_MATCH_BYTES = 256 * 1024;
    /**
     * Largest input value copied into a dead letter: a copy of a record near the topic's 1 MiB limit plus the
     * dead-letter headers would itself be refused, with the same effect as above. A larger value is cut to this
     * length and the dead letter says so ({@link #TRUNCATED_HEADER}).
     */
    public static final int MAX_DEAD_LETTER_VALUE_BYTES = 512 * 1024;
    /** Header of a dead letter whose value was cut: the original value's length in bytes. */
    public static final String TRUNCATED_HEADER = "facestream.value.truncated-from";

    private MatchBounds() {
    }

    /** {@code s} cut to at most {@code max} characters (never inside a surrogate pair), or null when null. */
    public static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
