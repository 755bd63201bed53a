package io.facestream.services.dashboard.feedback;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Feedback;
import io.facestream.services.common.config.PipelineConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes operator feedback to {@code feedback}, keyed by face id; returns once the broker has it. */
@Singleton
public class FeedbackWriter implements FeedbackSink {

    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;

    public FeedbackWriter(PipelineConfig config, Topics topics) {
        this.topics = topics;
        producer = new KafkaProducer<>(config.kafka(ServicePrincipal.DASHBOARD).producer(), new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void write(Feedback feedback) {
        try {
            producer.send(new ProducerRecord<>(topics.feedback().name(), feedback.getFaceId(),
                    topics.feedback().encode(feedback))).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not accept the feedback: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
