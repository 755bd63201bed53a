package io.facestream.services.ingest.camera;

import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Frame;
import io.facestream.services.common.validation.InputLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A camera: reads frames from a source and publishes them to {@code frames} at a steady rate, keyed by the
 * camera id, each acknowledged by the broker before the next (a camera never runs ahead of Kafka).
 */
public final class CameraAgent implements AutoCloseable {

    private final String cameraId;
    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;
    private long seq;

    public CameraAgent(String cameraId, KafkaClientSettings kafka, Topics topics, Clock clock) {
        InputLimits.cameraIdProblem(cameraId).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        this.cameraId = cameraId;
        this.topics = topics;
        this.clock = clock;
        producer = new KafkaProducer<>(kafka.producer(FrameLimits.MAX_RECORD_BYTES), new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * A source for a folder or image file, or a video file or stream through FFmpeg (MP4, MJPEG AVI, RTSP, HTTP).
     * Not OpenCV: the ingest service carries no OpenCV (README, "What is here").
     */
    public static FrameSource open(String source) throws IOException {
        Path path = Path.of(source);
        if (Files.isDirectory(path) || (Files.isRegularFile(path) && ImageFolderSource.isImage(path))) {
            return new ImageFolderSource(path);
        }
        if (!source.contains("://") && !Files.exists(path)) {
            throw new IOException("no such file or folder: " + source);
        }
        return new FfmpegVideoSource(source);
    }

    /**
     * Publishes every frame of the source at {@code fps} frames per second; returns the number published.
     * {@code onFrame} receives each frame id (for logs or tests); a frame that is skipped is reported as one
     * line on stderr (see {@link #stream(FrameSource, double, Consumer, Consumer)}).
     */
    public long stream(FrameSource source, double fps, Consumer<String> onFrame) throws IOException, InterruptedException {
        return stream(source, fps, onFrame, System.err::println);
    }

    /**
     * Publishes every frame of the source at {@code fps} frames per second; returns the number published. A frame
     * over the frame limit ({@link FrameLimits#MAX_IMAGE_BYTES}), whether the source or the agent finds it, or
     * one that Kafka refuses for its size, is skipped: {@code onSkipped} gets one line naming the frame and the
     * limit, and the agent goes on with the next frame. Any other failure to publish stops the stream.
     */
    public long stream(FrameSource source, double fps, Consumer<String> onFrame, Consumer<String> onSkipped)
            throws IOException, InterruptedException {
        long interval = (long) (1e9 / fps);
        long next = System.nanoTime();
        long count = 0;
        while (true) {
            Optional<FrameSource.EncodedFrame> f;
            try {
                f = source.next();
            } catch (FrameSource.SkippedFrameException e) {
                onSkipped.accept("skipped " + e.getMessage());
                continue;
            }
            if (f.isEmpty()) {
                return count;
            }
            if (f.get().bytes().length > FrameLimits.MAX_IMAGE_BYTES) {
                onSkipped.accept(String.format(Locale.ROOT, "skipped %s: %d bytes, over the frame limit of %s",
                        f.get().origin(), f.get().bytes().length, FrameLimits.describe()));
                continue;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += interval;
            Optional<String> frameId = publish(f.get(), onSkipped);
            if (frameId.isPresent()) {
                onFrame.accept(frameId.get());
                count++;
            }
        }
    }

    /** The frame's id once Kafka has it; empty when Kafka refused it for its size (reported to onSkipped). */
    private Optional<String> publish(FrameSource.EncodedFrame f, Consumer<String> onSkipped) throws IOException {
        String frameId = UUID.randomUUID().toString();
        Frame frame = Frame.newBuilder().setFrameId(frameId).setCameraId(cameraId).setCapturedAt(clock.instant())
                .setSeq(++seq).setImage(ByteBuffer.wrap(f.bytes())).setContentType(f.contentType()).build();
        byte[] value = topics.frames().encode(frame);
        try {
            producer.send(new ProducerRecord<>(topics.frames().name(), cameraId, value)).get(30, TimeUnit.SECONDS);
            return Optional.of(frameId);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException) {
                // The topic (or broker) allows less than the frame limit: this frame is lost, the next may fit.
                onSkipped.accept(String.format(Locale.ROOT, "skipped %s: Kafka refused the %d-byte record as too "
                        + "large (%s); frames up to %s need the topic's max.message.bytes at %d", f.origin(),
                        value.length, e.getCause().getMessage(), FrameLimits.describe(), FrameLimits.MAX_RECORD_BYTES));
                return Optional.empty();
            }
            throw notAccepted(frameId, f, e);
        } catch (TimeoutException e) {
            throw notAccepted(frameId, f, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static IOException notAccepted(String frameId, FrameSource.EncodedFrame f, Exception e) {
        return new IOException(String.format(Locale.ROOT, "frame %s (%s) not accepted by Kafka: %s", frameId,
                f.origin(), e.getMessage()), e);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
