package io.facestream.matching.topology;

import io.facestream.core.gallery.GalleryKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.gallery.GalleryReplica;
import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.core.track.TrackDecision;
import io.facestream.core.track.TrackerConfig;
import io.facestream.schema.BoundingBox;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import io.facestream.schema.Sighting;
import io.facestream.schema.SightingState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matcher on a real (in-process) broker: the topology under Kafka Streams exactly-once v2 yields exactly one
 * match per embedding across a restart and across a crash inside a transaction, and a walk past a camera stays one
 * track with each of its sightings written once across both; the gallery replica follows the compacted topics.
 * One broker for the class; each test has its own application id, state dir and face ids.
 */
class MatcherRestartTest {

    private static final Topics TOPICS = new Topics(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final MatchConfig CONFIG = new MatchConfig(2, 0.8, Map.of(), 4);
    private static final float[] ALICE = {1, 0, 0, 0};
    private static final float[] BOB = {0, 1, 0, 0};
    /** Tracks close 2 s of wall-clock time after their camera's last face, so the tests need not wait 10 s. */
    private static final TrackConfig QUICK_CLOSE = new TrackConfig(TrackerConfig.DEFAULT, new TrackDecision(
            TrackDecision.DEFAULT_THRESHOLD, TrackDecision.DEFAULT_MIN_FACES, TrackDecision.DEFAULT_MIN_MARGIN, 2),
            TrackerConfig.DEFAULT_MAX_GAP_MS, 200);

    private static EmbeddedKafka kafka;
    private static Admin admin;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        // A short minimum session: a dead stream thread's member (Streams does not leave the group when a thread
        // dies) expires in 2 s rather than the broker's default minimum of 6 s.
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults().withOverride("group.min.session.timeout.ms", "1000"))
                .start();
        admin = Admin.create(kafka.adminClientConfig());
        TopicCreator.createAll(admin, TOPICS.specs(), TIMEOUT);
        Map<String, Object> producerConfig = new HashMap<>(kafka.adminClientConfig());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        // Clients before the broker, or the broker's teardown waits for them.
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aRestartedMatcherEmitsExactlyOneMatchPerEmbedding(@TempDir Path first, @TempDir Path second)
            throws Exception {
        String app = "matcher-restart-" + UUID.randomUUID();
        int n = 400;
        GalleryView gallery = aliceAndBob();
        KafkaStreams one = streams(app, first, gallery, Clock.systemUTC());
        await("streams running", () -> one.state() == KafkaStreams.State.RUNNING);
        // Embeddings keep arriving while the first instance is closed and the second takes over.
        Thread publisher = new Thread(() -> publish("restart", n, 5), "publisher");
        publisher.start();
        await("first matches", () -> matchesByFace("restart-").size() >= 60);
        close(one);
        int seenByFirst = matchesByFace("restart-").size();
        assertTrue(seenByFirst < n, "the first instance was closed mid-stream, yet matched all " + seenByFirst);

        // Same application id: same consumer group and committed offsets; a fresh state dir, as on a new host.
        KafkaStreams two = streams(app, second, gallery, Clock.systemUTC());
        try {
            publisher.join(TIMEOUT.toMillis());
            assertFalse(publisher.isAlive(), "publisher finished");
            awaitConsumed(app, TOPICS.embeddings().name());
        } finally {
            close(two);
        }

        assertExactlyOneMatchEach("restart-", n);
    }

    @Test
    void aCrashInsideATransactionIsRolledBackAndRedone(@TempDir Path state) throws Exception {
        String app = "matcher-crash-" + UUID.randomUUID();
        int n = 150;
        publish("crash", n, 0);
        // The 50th match throws after earlier matches of the same transaction were already sent: the thread dies,
        // its transaction is aborted, a replacement thread redoes the work from the last commit.
        AtomicInteger calls = new AtomicInteger();
        Clock failingOnce = failingAt(calls, 50);
        KafkaStreams streams = streams(app, state, aliceAndBob(), failingOnce);
        try {
            awaitConsumed(app, TOPICS.embeddings().name());
        } finally {
            close(streams);
        }

        assertTrue(calls.get() > n, "the crashed work was redone: " + calls.get() + " matches computed for " + n);
        assertExactlyOneMatchEach("crash-", n);
        long written = read(TOPICS.matches().name(), "read_uncommitted").stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("crash-")).count();
        // Whether the aborted transaction had already written any match depends on when the last commit
        // happened before the crash; what must hold either way is the line above: exactly one visible match.
        assertTrue(written >= n, written + " matches in the log for " + n + " faces");
        System.out.printf("crash test: %d matches in the log (aborted ones included) for %d faces%n", written, n);
    }

    /**
     * A person walks past a camera (60 faces, 200 ms apart, the box moving 10 px a face); the matcher is closed
     * in the middle of the walk and a new instance on a fresh state dir (a new host) takes over, so the tracker
     * state it resumes with can only come from the store's changelog. The walk is still one track: every match
     * carries it, and the committed sightings are exactly opened (1 face), decided KNOWN (3 faces), CLOSED (60).
     */
    @Test
    void aWalkIsOneTrackAcrossARestartInTheMiddleOfIt(@TempDir Path first, @TempDir Path second) throws Exception {
        String app = "matcher-walk-restart-" + UUID.randomUUID();
        int n = 60;
        GalleryView gallery = aliceAndBob();
        KafkaStreams one = streams(app, first, gallery, Clock.systemUTC(), QUICK_CLOSE);
        await("streams running", () -> one.state() == KafkaStreams.State.RUNNING);
        Thread publisher = new Thread(() -> publishWalk("walk-restart", "walk-cam-1", n, 100), "publisher");
        publisher.start();
        await("first matches of the walk", () -> matchesByFace("walk-restart-").size() >= 15);
        close(one);
        int seenByFirst = matchesByFace("walk-restart-").size();
        assertTrue(seenByFirst < n, "the first instance was closed mid-walk, yet matched all " + seenByFirst);

        KafkaStreams two = streams(app, second, gallery, Clock.systemUTC(), QUICK_CLOSE);
        try {
            publisher.join(TIMEOUT.toMillis());
            awaitConsumed(app, TOPICS.embeddings().name());
            await("the walk's track closed", () -> sightingsOf("walk-cam-1").stream()
                    .anyMatch(x -> x.getState() == SightingState.CLOSED));
        } finally {
            close(two);
        }
        System.out.printf("walk restart: the first instance matched %d of %d faces%n", seenByFirst, n);
        assertOneTrackForTheWalk("walk-restart-", "walk-cam-1", n);
    }

    /**
     * The same walk with a crash inside a transaction (the thread dies, its transaction is aborted, a new thread
     * restores the store from the changelog and redoes the work): still one track with the same three sightings.
     */
    @Test
    void aWalkIsOneTrackAcrossACrashInTheMiddleOfIt(@TempDir Path state) throws Exception {
        String app = "matcher-walk-crash-" + UUID.randomUUID();
        int n = 60;
        publishWalk("walk-crash", "walk-cam-2", n, 0);
        AtomicInteger calls = new AtomicInteger();
        KafkaStreams streams = streams(app, state, aliceAndBob(), failingAt(calls, 35), QUICK_CLOSE);
        try {
            awaitConsumed(app, TOPICS.embeddings().name());
            await("the walk's track closed", () -> sightingsOf("walk-cam-2").stream()
                    .anyMatch(x -> x.getState() == SightingState.CLOSED));
        } finally {
            close(streams);
        }
        assertTrue(calls.get() > n + 3, "the crashed work was redone: " + calls.get() + " clock readings");
        assertOneTrackForTheWalk("walk-crash-", "walk-cam-2", n);
    }

    @Test
    void theGalleryReplicaFollowsTheCompactedTopics() throws Exception {
        sendGallery("alice/s1", sample("alice", "s1", ALICE));
        sendGallery("alice/s2", sample("alice", "s2", new float[] {0, 0, 1, 0}));
        sendGallery("bob/s1", sample("bob", "s1", BOB));
        sendIdentity("alice", identity("alice", "Alice"));
        sendIdentity("bob", identity("bob", "Bob"));

        GalleryView view = new GalleryView(4);
        try (GalleryReplica replica = new GalleryReplica(new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), TOPICS, view).start()) {
            assertTrue(replica.awaitCaughtUp(TIMEOUT), "caught up with what was there at start");
            // Caught up means everything that existed at start is applied, without waiting any further.
            assertEquals(3, view.size("A"));
            assertEquals(2, view.identities().size());
            assertEquals("Alice", view.identity("alice").orElseThrow().getDisplayName());
            assertEquals(Map.of("alice", 1.0), top(view, new float[] {0, 0, 1, 0}, 1));

            sendGallery("alice/s2", null);
            await("sample tombstone", () -> view.size("A") == 2);
            assertEquals(1.0, top(view, ALICE, 2).get("alice"), 1e-6, "alice's other sample stays");
            assertEquals(Map.of("alice", 0.0, "bob", 0.0), top(view, new float[] {0, 0, 1, 0}, 2));

            sendIdentity("bob", null);
            await("identity tombstone", () -> view.identity("bob").isEmpty());
            assertEquals(1, view.size("A"), "bob's samples are gone from the index");
            assertEquals(Map.of("alice", 0.0), top(view, BOB, 2), "bob is no candidate any more");
        }
    }

    // ---------------------------------------------------------------- fixtures

    private static GalleryView aliceAndBob() {
        GalleryView g = new GalleryView(4);
        g.applySample(GalleryKey.of("alice", "s1"), sample("alice", "s1", ALICE));
        g.applySample(GalleryKey.of("bob", "s1"), sample("bob", "s1", BOB));
        g.applyIdentity("alice", identity("alice", "Alice"));
        g.applyIdentity("bob", identity("bob", "Bob"));
        return g;
    }

    /** A clock that throws on its {@code failAt}-th reading, inside the matcher's transaction, and only then. */
    private static Clock failingAt(AtomicInteger calls, int failAt) {
        return new Clock() {
            @Override
            public Instant instant() {
                if (calls.incrementAndGet() == failAt) {
                    throw new IllegalStateException("injected crash inside the transaction");
                }
                return Instant.now();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }

    private static KafkaStreams streams(String app, Path stateDir, GalleryView gallery, Clock clock) {
        return streams(app, stateDir, gallery, clock, TrackConfig.defaults(CONFIG.topK()));
    }

    private static KafkaStreams streams(String app, Path stateDir, GalleryView gallery, Clock clock,
            TrackConfig tracks) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        p.putAll(kafka.adminClientConfig());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "2000");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "300");
        KafkaStreams s = new KafkaStreams(MatchingTopology.build(TOPICS, CONFIG, tracks, gallery, clock,
                new CameraSettings(), GallerySync.NONE), p);
        // As the matcher service does: a failure outside the topology's dead-letter branch replaces the thread.
        s.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.REPLACE_THREAD);
        s.start();
        return s;
    }

    /** Closes and leaves the group, so the next instance need not wait for the session to time out. */
    private static void close(KafkaStreams s) {
        s.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(10)));
    }

    /** Embeddings {@code prefix-0 .. prefix-(n-1)} over four cameras: even ones alice's vector, odd ones bob's. */
    private static void publish(String prefix, int n, long pauseMs) {
        try {
            for (int i = 0; i < n; i++) {
                String camera = "cam-" + (i % 4);
                byte[] value = MatchingTopologyTest.serialize(MatchingTopologyTest.embedding(prefix + "-" + i, camera,
                        "A", i % 2 == 0 ? ALICE : BOB));
                producer.send(new ProducerRecord<>(TOPICS.embeddings().name(), camera, value));
                if (pauseMs > 0) {
                    Thread.sleep(pauseMs);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Faces {@code prefix-0 .. prefix-(n-1)} of one person (alice's vector) walking past one camera: capture times
     * 200 ms apart, a 100 px box moving 10 px a face.
     */
    private static void publishWalk(String prefix, String camera, int n, long pauseMs) {
        Instant start = Instant.now();
        try {
            for (int i = 0; i < n; i++) {
                FaceEmbedding e = FaceEmbedding.newBuilder(MatchingTopologyTest.embedding(prefix + "-" + i, camera,
                        "A", ALICE)).setFrameId(prefix + "-frame-" + i).setCapturedAt(start.plusMillis(200L * i))
                        .setBox(BoundingBox.newBuilder().setX1(100 + 10 * i).setY1(100).setX2(200 + 10 * i)
                                .setY2(200).build()).build();
                producer.send(new ProducerRecord<>(TOPICS.embeddings().name(), camera,
                        MatchingTopologyTest.serialize(e)));
                if (pauseMs > 0) {
                    Thread.sleep(pauseMs);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Committed sightings of a camera; a sighting's records share a partition (key = its id), so they are in order. */
    private static List<Sighting> sightingsOf(String camera) {
        List<Sighting> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : read(TOPICS.sightings().name(), "read_committed")) {
            Sighting s = TOPICS.sightings().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (s.getCameraId().equals(camera)) {
                out.add(s);
            }
        }
        return out;
    }

    /** One committed match per face, all of one track, and the track's three sightings, each written once. */
    private static void assertOneTrackForTheWalk(String prefix, String camera, int n) {
        Map<String, List<Match>> byFace = matchesByFace(prefix);
        assertEquals(n, byFace.size(), "a match per face");
        assertTrue(byFace.values().stream().allMatch(ms -> ms.size() == 1), "exactly one match per face");
        Set<String> trackIds = new TreeSet<>();
        byFace.values().forEach(ms -> trackIds.add(ms.get(0).getTrackId()));
        assertEquals(Set.of(prefix + "0"), trackIds, "every match carries the track of the walk's first face");
        List<String> states = new ArrayList<>();
        for (Sighting s : sightingsOf(camera)) {
            assertEquals(prefix + "0", s.getSightingId());
            states.add(s.getState() + "/" + s.getFaceCount() + "/" + s.getDecision() + "/" + s.getIdentityId());
        }
        assertEquals(List.of("OPEN/1/UNKNOWN/null", "OPEN/3/KNOWN/alice", "CLOSED/" + n + "/KNOWN/alice"), states,
                "opened, decided, closed: each once");
    }

    /** Committed matches whose face id starts with the prefix, by face id. */
    private static Map<String, List<Match>> matchesByFace(String prefix) {
        Map<String, List<Match>> byFace = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : read(TOPICS.matches().name(), "read_committed")) {
            Match m = TOPICS.matches().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (m.getFaceId().startsWith(prefix)) {
                byFace.computeIfAbsent(m.getFaceId(), k -> new ArrayList<>()).add(m);
            }
        }
        return byFace;
    }

    private static void assertExactlyOneMatchEach(String prefix, int n) {
        Map<String, List<Match>> byFace = matchesByFace(prefix);
        Map<String, Integer> counts = new TreeMap<>();
        byFace.forEach((face, ms) -> counts.put(face, ms.size()));
        Map<String, Integer> want = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            want.put(prefix + i, 1);
        }
        assertEquals(want, counts, "exactly one committed match per embedding");
        for (int i = 0; i < n; i++) {
            Match m = byFace.get(prefix + i).get(0);
            assertEquals(Decision.KNOWN, m.getDecision());
            assertEquals(i % 2 == 0 ? "alice" : "bob", m.getCandidates().get(0).getIdentityId());
        }
        assertTrue(read(TOPICS.embeddings().deadLetterTopic(), "read_committed").stream()
                .noneMatch(r -> r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains(prefix)),
                "no dead letters");
    }

    /** The whole topic as a consumer of the given isolation level sees it, from the beginning to the end. */
    private static List<ConsumerRecord<String, byte[]>> read(String topic, String isolation) {
        Map<String, Object> c = new HashMap<>(kafka.adminClientConfig());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, TIMEOUT).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("did not reach the end offsets " + end + " of " + topic);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return out;
        }
    }

    /** Waits until the application's committed offsets reach the end of every non-empty input partition. */
    private static void awaitConsumed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < TOPICS.partitions(); p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        await(group + " consumed " + topic + " to " + end, () -> {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || (committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue()));
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The top-k of a model-A query, identity → cosine rounded to 1e-6. */
    private static Map<String, Double> top(GalleryView view, float[] query, int k) {
        Map<String, Double> out = new TreeMap<>();
        view.search("A", query, k).forEach(s -> out.put(s.identityId(), Math.round(s.score() * 1e6) / 1e6));
        return out;
    }

    private static GallerySample sample(String identity, String sampleId, float[] vector) {
        List<Float> values = new ArrayList<>();
        for (float x : vector) {
            values.add(x);
        }
        return GallerySample.newBuilder().setIdentityId(identity).setSampleId(sampleId).setVector(values)
                .setModelVersion("A").setEnrolledAt(Instant.EPOCH).build();
    }

    private static Identity identity(String id, String name) {
        return Identity.newBuilder().setIdentityId(id).setDisplayName(name).setCreatedAt(Instant.EPOCH).build();
    }

    private static void sendGallery(String key, GallerySample sample) throws Exception {
        byte[] value = sample == null ? null
                : TOPICS.gallery().valueSerde().serializer().serialize(TOPICS.gallery().name(), sample);
        producer.send(new ProducerRecord<>(TOPICS.gallery().name(), key, value)).get();
    }

    private static void sendIdentity(String key, Identity identity) throws Exception {
        byte[] value = identity == null ? null
                : TOPICS.identities().valueSerde().serializer().serialize(TOPICS.identities().name(), identity);
        producer.send(new ProducerRecord<>(TOPICS.identities().name(), key, value)).get();
    }
}
