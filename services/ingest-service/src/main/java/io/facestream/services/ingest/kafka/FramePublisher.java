package io.facestream.services.ingest.kafka;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Frame;
import io.facestream.services.common.config.PipelineConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes frames to {@code frames}, keyed by camera; returns once the broker has acknowledged. */
@Singleton
public class FramePublisher {

    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;

    public FramePublisher(PipelineConfig config, Topics topics) {
        this.topics = topics;
        Properties p = config.kafka(ServicePrincipal.INGEST).producer(FrameLimits.MAX_RECORD_BYTES);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public void publish(Frame frame) throws PublishException {
        publishRaw(frame.getCameraId(), topics.frames().encode(frame));
    }

    /** Publishes bytes as they are (tests use this to send records that are not frames). */
    public void publishRaw(String key, byte[] value) throws PublishException {
        try {
            producer.send(new ProducerRecord<>(topics.frames().name(), key, value)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new PublishException("frame not accepted by Kafka: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while publishing", e);
        }
    }

    /** Kafka did not take the frame; the caller may retry. */
    public static final class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
