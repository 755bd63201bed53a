package io.facestream.pipeline.topics;

/**
 * How large a camera frame may be, and what that means for every client of the {@code frames} topic. One
 * place, so the HTTP limit, the camera agent, the topic, the producers and the consumers cannot disagree.
 *
 * <p>The limit is on the encoded image as the camera sent it. A record adds the Avro envelope (ids, camera,
 * content type: well under 1 KiB) and Kafka's batch overhead; its dead letter adds reason headers (messages are
 * cut to {@code DeadLetter.MAX_MESSAGE_CHARS}). {@link #MAX_RECORD_BYTES} leaves 1 MiB for all of that.
 */
public final class FrameLimits {

    /** Largest encoded image accepted, in bytes (16 MiB: an 8K × 4K JPEG is 5–12 MB at usual qualities). */
    public static final int MAX_IMAGE_BYTES = 16 << 20;

    /**
     * Largest {@code frames} / {@code frames.dlq} record: the topics' {@code max.message.bytes}, the frame
     * producers' {@code max.request.size} and the frame consumers' {@code max.partition.fetch.bytes}.
     */
    public static final int MAX_RECORD_BYTES = MAX_IMAGE_BYTES + (1 << 20);

    private FrameLimits() {
    }

    /** The limit as people read it, for error messages ("16 MiB"). */
    public static String describe() {
        return (MAX_IMAGE_BYTES >> 20) + " MiB (" + MAX_IMAGE_BYTES + " bytes)";
    }
}
