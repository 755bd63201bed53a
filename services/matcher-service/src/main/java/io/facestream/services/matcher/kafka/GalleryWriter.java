package io.facestream.services.matcher.kafka;

import io.facestream.matching.gallery.GalleryView;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.services.common.config.PipelineConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes identities and gallery samples to their compacted topics and waits until this instance's gallery
 * view shows the change, so an API caller reads its own writes.
 */
@Singleton
public class GalleryWriter {

    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);

    private final Topics topics;
    private final GalleryView view;
    private final KafkaProducer<String, byte[]> producer;

    public GalleryWriter(PipelineConfig config, Topics topics, GalleryView view) {
        this.topics = topics;
        this.view = view;
        producer = new KafkaProducer<>(config.kafka(ServicePrincipal.MATCHER).producer(), new StringSerializer(), new ByteArraySerializer());
    }

    public void putIdentity(Identity identity) {
        send(topics.identities().name(), identity.getIdentityId(),
                topics.identities().encode(identity));
        await(() -> view.identity(identity.getIdentityId()).isPresent());
    }

    public void putSample(GallerySample sample) {
        String key = GalleryView.key(sample.getIdentityId(), sample.getSampleId());
        send(topics.gallery().name(), key,
                topics.gallery().encode(sample));
        await(() -> view.sampleKeys(sample.getIdentityId()).contains(key));
    }

    /** Tombstones every sample of the person, then the person: erased from every matcher's index. */
    public void erase(String identityId) {
        for (String key : view.sampleKeys(identityId)) {
            send(topics.gallery().name(), key, null);
        }
        send(topics.identities().name(), identityId, null);
        await(() -> view.identity(identityId).isEmpty() && view.sampleKeys(identityId).isEmpty());
    }

    private void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not accept the " + topic + " record: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void await(BooleanSupplier visible) {
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        while (!visible.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the change did not reach the gallery within " + VISIBLE_WITHIN);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
