package io.facestream.pipeline.gallery;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one writer of the {@code gallery} and {@code identities} topics: every record under its key
 * ({@link GalleryKey} for samples), every write acknowledged by the broker before it returns. Given the
 * {@link GalleryView} of this instance, a single write also waits until the view shows it, so an API caller
 * reads its own writes. The topics are compacted and not written in transactions: a put replaces, a tombstone
 * removes, so a write repeated after a failure is harmless.
 */
public final class GalleryWriter implements AutoCloseable {

    private static final Duration ACK_WITHIN = Duration.ofSeconds(30);
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);

    private final Topics topics;
    private final Optional<GalleryView> shownIn;
    private final KafkaProducer<String, byte[]> producer;

    /** A writer that waits for the broker only (nothing of this instance shows the gallery). */
    public GalleryWriter(KafkaClientSettings kafka, Topics topics) {
        this(kafka, topics, Optional.empty());
    }

    /** A writer whose single writes also wait until {@code view} shows them. */
    public GalleryWriter(KafkaClientSettings kafka, Topics topics, GalleryView view) {
        this(kafka, topics, Optional.of(view));
    }

    private GalleryWriter(KafkaClientSettings kafka, Topics topics, Optional<GalleryView> shownIn) {
        this.topics = topics;
        this.shownIn = shownIn;
        producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new ByteArraySerializer());
    }

    /** Creates or renames a person. */
    public void putIdentity(Identity identity) {
        uninterrupted(() -> acked(List.of(send(topics.identities().name(), identity.getIdentityId(),
                topics.identities().encode(identity)))));
        shownIn.ifPresent(view -> awaitShown(() -> view.identity(identity.getIdentityId()).isPresent()));
    }

    /** Enrolls one sample. */
    public void putSample(GallerySample sample) {
        GalleryKey key = GalleryRecords.key(sample);
        uninterrupted(() -> putSamples(List.of(sample)));
        shownIn.ifPresent(view -> awaitShown(() -> view.sampleKeys(key.identityId()).contains(key)));
    }

    /** Writes many samples at once (a rollout's twins). @return samples written */
    public int putSamples(Collection<GallerySample> samples) throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (GallerySample s : samples) {
            sent.add(send(topics.gallery().name(), GalleryRecords.key(s).toString(), topics.gallery().encode(s)));
        }
        acked(sent);
        return sent.size();
    }

    /** Tombstones samples. @return tombstones written */
    public int deleteSamples(Collection<GalleryKey> keys) throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (GalleryKey key : keys) {
            sent.add(send(topics.gallery().name(), key.toString(), null));
        }
        acked(sent);
        return sent.size();
    }

    /**
     * Erases a person from every reader: tombstones each of their samples, then, once those are acknowledged,
     * the person. Readers also keep out samples that arrive after the person's tombstone.
     */
    public void erase(String identityId, Collection<GalleryKey> samples) {
        uninterrupted(() -> {
            deleteSamples(samples);
            acked(List.of(send(topics.identities().name(), identityId, null)));
        });
        shownIn.ifPresent(view -> awaitShown(
                () -> view.identity(identityId).isEmpty() && view.sampleKeys(identityId).isEmpty()));
    }

    private Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key, value));
    }

    private void acked(List<Future<RecordMetadata>> sent) throws InterruptedException {
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(ACK_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Kafka did not accept a gallery record: " + e.getMessage(), e);
            }
        }
    }

    /** A write that an HTTP request waits on: an interrupt fails it. */
    private static void uninterrupted(Write write) {
        try {
            write.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @FunctionalInterface
    private interface Write {
        void run() throws InterruptedException;
    }

    private static void awaitShown(BooleanSupplier shown) {
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        while (!shown.getAsBoolean()) {
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

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
