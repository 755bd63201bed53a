package io.facestream.services.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.BoundingBox;
import io.facestream.schema.Candidate;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.Match;
import io.facestream.schema.Sighting;
import io.facestream.schema.SightingState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes what the tracker (Kafka Streams, branch {@code tracks}) will write, onto the real topics with the
 * project's serdes, until it is merged: a face's match again, carrying its track id, and the states of a
 * sighting. Once the tracker runs in the pipeline, tests can wait for its records instead.
 */
public final class TrackerStandIn implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final Map<String, Object> client;
    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;

    /** @param client bootstrap servers and a login that may write {@code matches} and {@code sightings} */
    public TrackerStandIn(Map<String, Object> client, Topics topics) {
        this.client = Map.copyOf(client);
        this.topics = topics;
        Properties p = new Properties();
        p.putAll(client);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** The match (as the matches API shows it) again, now part of a track. */
    public void track(JsonNode match, String trackId) throws Exception {
        List<Candidate> candidates = new ArrayList<>();
        for (JsonNode c : match.path("candidates")) {
            candidates.add(Candidate.newBuilder().setIdentityId(c.get("identityId").asText())
                    .setName(c.path("name").asText(null)).setScore(c.get("score").asDouble()).build());
        }
        Match m = Match.newBuilder().setFaceId(match.get("faceId").asText()).setFrameId(match.get("frameId").asText())
                .setCameraId(match.get("cameraId").asText()).setCapturedAt(Instant.parse(match.get("capturedAt").asText()))
                .setCandidates(candidates).setDecision(Decision.valueOf(match.get("decision").asText()))
                .setThreshold(match.get("threshold").asDouble()).setModelVersion(match.get("modelVersion").asText())
                .setGalleryVersion(match.get("galleryVersion").asLong()).setMatchedAt(Instant.now()).setTrackId(trackId)
                .build();
        producer.send(new ProducerRecord<>(topics.matches().name(), m.getCameraId(), topics.matches().encode(m))).get();
    }

    /** Writes one state of a sighting (key = its id, as on the compacted topic). */
    public void write(Sighting s) throws Exception {
        producer.send(new ProducerRecord<>(topics.sightings().name(), s.getSightingId(), topics.sightings().encode(s)))
                .get();
    }

    /**
     * An OPEN, UNKNOWN sighting first seen at T0 + 10 s, last seen {@code lastSeenS} and written {@code updatedS}
     * seconds after T0, with one face.
     */
    public static Sighting.Builder sighting(String id, String camera, int lastSeenS, int updatedS, String bestFace,
            String bestFrame) {
        return Sighting.newBuilder().setSightingId(id).setCameraId(camera).setState(SightingState.OPEN)
                .setFirstSeenAt(T0.plusSeconds(10)).setLastSeenAt(T0.plusSeconds(lastSeenS)).setFaceCount(1)
                .setDecision(Decision.UNKNOWN).setScore(0.2).setMargin(0.2).setCandidates(List.of())
                .setBestFaceId(bestFace).setBestFrameId(bestFrame)
                .setBestBox(BoundingBox.newBuilder().setX1(10).setY1(20).setX2(110).setY2(140).build())
                .setBestQuality(0.8f).setModelVersion("mobilefacenet-base").setUpdatedAt(T0.plusSeconds(updatedS));
    }

    /** The detector's box of a face, read from {@code faces}; empty when it is not found within 15 s. */
    public Optional<BoundingBox> boxOf(String faceId) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "stand-in-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topics.faces().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    FaceCrop f = topics.faces().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (f.getFaceId().equals(faceId)) {
                        return Optional.of(f.getBox());
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
