package io.facestream.services.ingest.camera;

import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Frame;
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
        if (cameraId == null || cameraId.isBlank()) {
            throw new IllegalArgumentException("a camera needs an id");
        }
        this.cameraId = cameraId;
        this.topics = topics;
        this.clock = clock;
        producer = new KafkaProducer<>(kafka.producer(FrameLimits.MAX_RECORD_BYTES), new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * A source for a folder or image file, or a video file or stream: OpenCV where it can (MJPEG AVI, V4L
     * devices), FFmpeg for the rest (MP4, RTSP, HTTP).
     */
    public static FrameSource open(String source) throws IOException {
        Path path = Path.of(source);
        if (Files.isDirectory(path) || (Files.isRegularFile(path) && ImageFolderSource.isImage(path))) {
            return new ImageFolderSource(path);
        }
        if (!source.contains("://") && !Files.exists(path)) {
            throw new IOException("no such file or folder: " + source);
        }
        try {
            return new VideoSource(source);
        } catch (IllegalArgumentException opencvCannot) {
            return new FfmpegVideoSource(source);
        }
    }

    /**
     * Publishes every frame of the source at {@code fps} frames per second; returns the number published.
     * {@code onFrame} receives each frame id (for logs or tests).
     */
    public long stream(FrameSource source, double fps, Consumer<String> onFrame) throws IOException, InterruptedException {
        long interval = (long) (1e9 / fps);
        long next = System.nanoTime();
        long count = 0;
        for (Optional<FrameSource.EncodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += interval;
            onFrame.accept(publish(f.get()));
            count++;
        }
        return count;
    }

    private String publish(FrameSource.EncodedFrame f) throws IOException {
        String frameId = UUID.randomUUID().toString();
        Frame frame = Frame.newBuilder().setFrameId(frameId).setCameraId(cameraId).setCapturedAt(clock.instant())
                .setSeq(++seq).setImage(ByteBuffer.wrap(f.bytes())).setContentType(f.contentType()).build();
        byte[] value = topics.frames().encode(frame);
        try {
            producer.send(new ProducerRecord<>(topics.frames().name(), cameraId, value)).get(30, TimeUnit.SECONDS);
            return frameId;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(String.format(Locale.ROOT, "frame %s (%s) not accepted by Kafka: %s", frameId,
                    f.origin(), e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
