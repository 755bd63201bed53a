package io.facestream.pipeline.erasure;

import io.facestream.core.erasure.ErasedFaces;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topic;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.FaceErasure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the {@code face-erasures} topic (README, "Search", "Unknown clusters"): which faces erasures
 * removed, so that every index rebuilt or replayed from {@code embeddings} and {@code matches} leaves them out.
 * At start-up it reads the whole topic into a bounded {@link ErasedFaces} (before any index replays a face);
 * {@link #mark} writes the markers of the faces an erasure removed and returns once the broker has them all;
 * each index follows the topic too ({@link #apply}), so a marker that comes after its face removes it there.
 *
 * <p>Each matcher instance erases its own copy on the same tombstone and marks the same faces with the same
 * value (the erasure time is the tombstone's timestamp, not a clock), so duplicates are harmless. Thread-safe.
 */
public final class FaceErasures implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaceErasures.class);
    /**
     * Marks held per matcher (about 150 bytes each: 15 MB): the faces erased within the markers' retention (8 days)
     * may not exceed it, or the eldest marks are forgotten and a replay could bring their faces back.
     */
    public static final int MAX_MARKED = 100_000;
    private static final Duration WRITE_WITHIN = Duration.ofSeconds(30);

    private final Topic<FaceErasure> topic;
    private final ErasedFaces erased;
    private final int capacity;
    private final KafkaProducer<String, byte[]> producer;

    private FaceErasures(KafkaClientSettings kafka, Topics topics, int capacity) {
        this.topic = topics.faceErasures();
        this.capacity = capacity;
        this.erased = new ErasedFaces(capacity, Duration.ofMillis(Topics.ERASURES_RETENTION_MS));
        this.producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Reads every marker on the topic, then is ready to mark more.
     *
     * @param capacity marks held at most ({@link #MAX_MARKED} in the service)
     * @throws IllegalStateException when the topic was not read within {@code timeout}
     */
    public static FaceErasures load(KafkaClientSettings kafka, Topics topics, int capacity, Duration timeout)
            throws InterruptedException {
        FaceErasures erasures = new FaceErasures(kafka, topics, capacity);
        try (TopicFollower reader = new TopicFollower("face-erasures-load", kafka,
                List.of(topics.faceErasures().name()), -1, erasures::apply).start()) {
            if (!reader.awaitCaughtUp(timeout)) {
                erasures.close();
                throw new IllegalStateException("the " + topics.faceErasures().name() + " topic was not read within "
                        + timeout);
            }
        }
        LOG.info("{} erased faces marked", erasures.erased.size());
        return erasures;
    }

    /** The topic, for the followers that follow it. */
    public String topicName() {
        return topic.name();
    }

    /** Whether this record is a marker (the followers route it to {@link #apply}). */
    public boolean isMarker(ConsumerRecord<String, byte[]> r) {
        return r.topic().equals(topic.name());
    }

    /**
     * Takes in a marker read from the topic.
     *
     * @return the erased face's id; empty for a record that is no marker (no key, no value, not decodable)
     */
    public Optional<String> apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null || r.value() == null) {
            return Optional.empty();
        }
        try {
            FaceErasure e = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
            markHere(e.getFaceId(), e.getErasedAt().toEpochMilli());
            return Optional.of(e.getFaceId());
        } catch (SerializationException | NullPointerException e) {
            LOG.warn("skipping an undecodable erasure marker at offset {}: {}", r.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether the face was erased: an index leaves it out. */
    public boolean isErased(String faceId) {
        return erased.contains(faceId);
    }

    /** Marks held now. */
    public int size() {
        return erased.size();
    }

    /**
     * Marks the faces an erasure removed, here and on the topic; returns once the broker has every marker, so an
     * index may drop the faces only after their markers are safe.
     *
     * @param erasedAt the identity tombstone's timestamp (the same on every instance)
     * @throws IllegalStateException when a marker could not be written (the caller retries the erasure)
     */
    public void mark(Collection<String> faceIds, String identityId, Instant erasedAt) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(faceIds.size());
        for (String faceId : faceIds) {
            FaceErasure e = FaceErasure.newBuilder().setFaceId(faceId).setIdentityId(identityId)
                    .setErasedAt(erasedAt).build();
            sent.add(producer.send(new ProducerRecord<>(topic.name(), faceId, topic.encode(e))));
        }
        try {
            long deadline = System.nanoTime() + WRITE_WITHIN.toNanos();
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write the erasure markers of " + identityId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while marking the faces of " + identityId, e);
        }
        for (String faceId : faceIds) {
            markHere(faceId, erasedAt.toEpochMilli());
        }
    }

    private void markHere(String faceId, long erasedAtMs) {
        long before = erased.forgotten();
        erased.mark(faceId, erasedAtMs);
        if (erased.forgotten() > before && erased.forgotten() % 1000 == 1) {
            LOG.warn("more faces erased within {} days than the {} marks held: {} eldest marks forgotten, so a "
                    + "replay could bring their faces back", Duration.ofMillis(Topics.ERASURES_RETENTION_MS).toDays(),
                    capacity, erased.forgotten());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
