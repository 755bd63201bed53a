package io.facestream.matching.topology;

import io.facestream.core.gallery.GalleryKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Candidate;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Frame;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matching topology without a broker. Given a gallery of hand-made 4-d unit vectors under model version
 * {@code A} (alice = e1, bob = e2, carol = e4; only alice and bob have identity records), when an embedding
 * arrives, then exactly one record comes out: a match on {@code matches}, or a dead letter on
 * {@code embeddings.dlq} that names the reason and where the record came from.
 */
class MatchingTopologyTest {

    private static final Topics TOPICS = new Topics(1);
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final Instant CAPTURED = Instant.parse("2025-01-01T11:59:59Z");
    private static final double THRESHOLD = 0.8;
    private static final double STRICT = 0.95;
    private static final MatchConfig CONFIG = new MatchConfig(2, THRESHOLD, Map.of("strict-cam", STRICT), 4);
    private static final double EPS = 1e-6;

    private GalleryView gallery;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> embeddings;
    private TestOutputTopic<String, byte[]> matches;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void setUp() {
        gallery = new GalleryView(4);
        sample("alice", "s1", "A", 1, 0, 0, 0);
        sample("bob", "s1", "A", 0, 1, 0, 0);
        sample("carol", "s1", "A", 0, 0, 0, 1);
        identity("alice", "Alice");
        identity("bob", "Bob");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "matching-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(MatchingTopology.build(TOPICS, CONFIG, gallery,
                Clock.fixed(NOW, ZoneOffset.UTC)), p);
        embeddings = driver.createInputTopic("embeddings", new StringSerializer(), new ByteArraySerializer());
        matches = driver.createOutputTopic("matches", new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic("embeddings.dlq", new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    // ---------------------------------------------------------------- matches

    /** One expected candidate: identity, display name (null when no identity record), cosine. */
    record Cand(String id, String name, double score) {
    }

    static Stream<Arguments> matchCases() {
        double s = Math.sqrt(1 - 0.9 * 0.9);
        return Stream.of(
                Arguments.of("exact alice", "cam-1", "A", v(1, 0, 0, 0), Decision.KNOWN, THRESHOLD,
                        List.of(new Cand("alice", "Alice", 1), new Cand("bob", "Bob", 0))),
                Arguments.of("close to alice", "cam-1", "A", v(0.9, s, 0, 0), Decision.KNOWN, THRESHOLD,
                        List.of(new Cand("alice", "Alice", 0.9), new Cand("bob", "Bob", s))),
                Arguments.of("same face on a stricter camera", "strict-cam", "A", v(0.9, s, 0, 0), Decision.UNKNOWN,
                        STRICT, List.of(new Cand("alice", "Alice", 0.9), new Cand("bob", "Bob", s))),
                Arguments.of("exact alice on the stricter camera", "strict-cam", "A", v(1, 0, 0, 0), Decision.KNOWN,
                        STRICT, List.of(new Cand("alice", "Alice", 1), new Cand("bob", "Bob", 0))),
                Arguments.of("exactly at the threshold is known", "cam-1", "A", v(0, 0.8, 0, 0.6), Decision.KNOWN,
                        THRESHOLD, List.of(new Cand("bob", "Bob", 0.8), new Cand("carol", null, 0.6))),
                Arguments.of("just below the threshold", "cam-1", "A", v(0, 0.78, 0, Math.sqrt(1 - 0.78 * 0.78)),
                        Decision.UNKNOWN, THRESHOLD,
                        List.of(new Cand("bob", "Bob", 0.78), new Cand("carol", null, Math.sqrt(1 - 0.78 * 0.78)))),
                Arguments.of("carol has samples but no identity record", "cam-1", "A", v(0, 0, 0, 1), Decision.KNOWN,
                        THRESHOLD, List.of(new Cand("carol", null, 1), new Cand("alice", "Alice", 0))),
                Arguments.of("a stranger: top-k, nobody close", "cam-1", "A", v(0, 0, 1, 0), Decision.UNKNOWN,
                        THRESHOLD, List.of(new Cand("alice", "Alice", 0), new Cand("bob", "Bob", 0))),
                Arguments.of("model B never sees gallery A", "cam-1", "B", v(1, 0, 0, 0), Decision.UNKNOWN, THRESHOLD,
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchCases")
    void matchesAnEmbedding(String name, String camera, String model, float[] vector, Decision decision,
            double threshold, List<Cand> candidates) {
        embeddings.pipeInput(camera, serialize(embedding("face-1", camera, model, vector)));

        List<TestRecord<String, byte[]>> out = matches.readRecordsToList();
        assertTrue(deadLetters.isEmpty(), "no dead letter");
        assertEquals(1, out.size(), "one match");
        assertEquals(camera, out.get(0).key(), "matches are keyed by camera");
        Match m = TOPICS.matches().valueSerde().deserializer().deserialize("matches", out.get(0).value());
        assertEquals("face-1", m.getFaceId());
        assertEquals("frame-1", m.getFrameId());
        assertEquals(camera, m.getCameraId());
        assertEquals(CAPTURED, m.getCapturedAt());
        assertEquals(NOW, m.getMatchedAt());
        assertEquals(model, m.getModelVersion());
        assertEquals(gallery.version(), m.getGalleryVersion());
        assertEquals(decision, m.getDecision());
        assertEquals(threshold, m.getThreshold(), 0);
        List<Cand> got = new ArrayList<>();
        for (Candidate c : m.getCandidates()) {
            got.add(new Cand(c.getIdentityId(), c.getName(), c.getScore()));
        }
        assertEquals(candidates.size(), got.size(), "candidates: " + got);
        for (int i = 0; i < got.size(); i++) {
            assertEquals(candidates.get(i).id(), got.get(i).id(), "candidate " + i + " of " + got);
            assertEquals(candidates.get(i).name(), got.get(i).name(), "name of candidate " + i);
            assertEquals(candidates.get(i).score(), got.get(i).score(), EPS, "score of candidate " + i);
        }
    }

    @Test
    void aGalleryOfVersionBIsUsedOnceItExists() {
        sample("bob", "s2", "B", 1, 0, 0, 0);

        embeddings.pipeInput("cam-1", serialize(embedding("face-b", "cam-1", "B", v(1, 0, 0, 0))));
        embeddings.pipeInput("cam-1", serialize(embedding("face-a", "cam-1", "A", v(1, 0, 0, 0))));

        List<Match> out = matches.readValuesToList().stream()
                .map(b -> TOPICS.matches().valueSerde().deserializer().deserialize("matches", b)).toList();
        assertEquals(2, out.size());
        assertEquals("bob", out.get(0).getCandidates().get(0).getIdentityId(), "B is matched against B only");
        assertEquals(1, out.get(0).getCandidates().size(), "only bob is enrolled under B");
        assertEquals("alice", out.get(1).getCandidates().get(0).getIdentityId(), "A against A, unchanged");
    }

    @Test
    void theFirstFaceOfANewModelVersionWaitsUntilTheGalleryHasCaughtUpAndLaterOnesDoNot() {
        driver.close();
        // The replica catches up inside the barrier: version C's gallery lands only when the matcher syncs.
        List<String> syncs = new ArrayList<>();
        GallerySync replicaCatchingUp = timeout -> {
            syncs.add("sync");
            if (gallery.size("C") == 0) {
                sample("bob", "s3", "C", 0, 0, 1, 0);
            }
            return true;
        };
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "matching-topology-sync-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(MatchingTopology.build(TOPICS, CONFIG, gallery,
                Clock.fixed(NOW, ZoneOffset.UTC), new CameraSettings(), replicaCatchingUp), p);
        embeddings = driver.createInputTopic("embeddings", new StringSerializer(), new ByteArraySerializer());
        matches = driver.createOutputTopic("matches", new StringDeserializer(), new ByteArrayDeserializer());

        embeddings.pipeInput("cam-1", serialize(embedding("face-1", "cam-1", "A", v(1, 0, 0, 0))));
        embeddings.pipeInput("cam-1", serialize(embedding("face-2", "cam-1", "C", v(0, 0, 1, 0))));
        embeddings.pipeInput("cam-1", serialize(embedding("face-3", "cam-1", "C", v(0, 0, 1, 0))));
        embeddings.pipeInput("cam-1", serialize(embedding("face-4", "cam-1", "A", v(1, 0, 0, 0))));

        List<Match> out = matches.readValuesToList().stream()
                .map(b -> TOPICS.matches().valueSerde().deserializer().deserialize("matches", b)).toList();
        assertEquals(4, out.size(), "every face matched");
        assertEquals(Decision.KNOWN, out.get(1).getDecision(), "the first face of C already sees C's gallery");
        assertEquals("bob", out.get(1).getCandidates().get(0).getIdentityId());
        assertEquals("C", out.get(1).getModelVersion());
        assertEquals(List.of("sync", "sync"), syncs, "one barrier per model version (A and C), not per face");
    }

    @Test
    void anErasedIdentityIsNoLongerACandidate() {
        gallery.applyIdentity("alice", null);

        embeddings.pipeInput("cam-1", serialize(embedding("face-1", "cam-1", "A", v(1, 0, 0, 0))));

        Match m = TOPICS.matches().valueSerde().deserializer().deserialize("matches", matches.readValue());
        assertEquals(Decision.UNKNOWN, m.getDecision());
        assertTrue(m.getCandidates().stream().noneMatch(c -> c.getIdentityId().equals("alice")), m.toString());
    }

    // ---------------------------------------------------------------- dead letters

    static Stream<Arguments> deadLetterCases() {
        Frame frame = Frame.newBuilder().setFrameId("f").setCameraId("cam-1").setCapturedAt(CAPTURED).setSeq(1)
                .setImage(ByteBuffer.wrap(new byte[] {1})).build();
        return Stream.of(
                Arguments.of("not Avro", "hello, matcher".getBytes(StandardCharsets.UTF_8), "not-avro"),
                Arguments.of("Avro of another record type", TOPICS.frames().valueSerde().serializer()
                        .serialize("frames", frame), "not-avro"),
                Arguments.of("empty bytes", new byte[0], "empty-record"),
                Arguments.of("null value", null, "empty-record"),
                Arguments.of("wrong dimension", serialize(embedding("f", "cam-1", "A", v(1, 0, 0))),
                        "wrong-dimension"),
                Arguments.of("NaN value", serialize(embedding("f", "cam-1", "A", v(1, 0, Double.NaN, 0))),
                        "non-finite"),
                Arguments.of("infinite value", serialize(embedding("f", "cam-1", "A",
                        v(Double.POSITIVE_INFINITY, 0, 0, 0))), "non-finite"),
                Arguments.of("not normalised", serialize(embedding("f", "cam-1", "A", v(2, 0, 0, 0))),
                        "not-normalised"),
                Arguments.of("zero vector", serialize(embedding("f", "cam-1", "A", v(0, 0, 0, 0))), "not-normalised"),
                Arguments.of("blank face id", serialize(embedding(" ", "cam-1", "A", v(1, 0, 0, 0))),
                        "missing-field"),
                Arguments.of("blank camera id", serialize(embedding("f", "", "A", v(1, 0, 0, 0))),
                        "missing-field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deadLetterCases")
    void routesABadRecordToTheDeadLetterTopic(String name, byte[] value, String errorClass) {
        // A good record first: the bad one must neither stop the stream nor be confused with it.
        embeddings.pipeInput("cam-1", serialize(embedding("good", "cam-1", "A", v(1, 0, 0, 0))));
        embeddings.pipeInput("cam-7", value);

        List<TestRecord<String, byte[]>> letters = deadLetters.readRecordsToList();
        assertEquals(1, matches.readRecordsToList().size(), "only the good record is matched");
        assertEquals(1, letters.size(), "one dead letter");
        TestRecord<String, byte[]> letter = letters.get(0);
        assertEquals("cam-7", letter.key(), "the original key");
        if (value == null) {
            assertNull(letter.value());
        } else {
            assertArrayEquals(value, letter.value(), "the original bytes");
        }
        assertEquals("matcher", header(letter, DeadLetter.STAGE));
        assertEquals(errorClass, header(letter, DeadLetter.ERROR_CLASS));
        assertTrue(!header(letter, DeadLetter.MESSAGE).isBlank(), "a message");
        assertEquals("embeddings", header(letter, DeadLetter.SOURCE_TOPIC));
        assertEquals("0", header(letter, DeadLetter.SOURCE_PARTITION));
        assertEquals("1", header(letter, DeadLetter.SOURCE_OFFSET), "the second record piped in");
    }

    // ---------------------------------------------------------------- fixtures

    private void sample(String identity, String sampleId, String model, double... vector) {
        List<Float> values = new ArrayList<>();
        for (double x : vector) {
            values.add((float) x);
        }
        gallery.applySample(GalleryKey.of(identity, sampleId), GallerySample.newBuilder().setIdentityId(identity)
                .setSampleId(sampleId).setVector(values).setModelVersion(model).setEnrolledAt(NOW).build());
    }

    private void identity(String id, String name) {
        gallery.applyIdentity(id, Identity.newBuilder().setIdentityId(id).setDisplayName(name).setCreatedAt(NOW)
                .build());
    }

    private static float[] v(double... values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    static FaceEmbedding embedding(String faceId, String camera, String model, float[] vector) {
        List<Float> values = new ArrayList<>();
        for (float x : vector) {
            values.add(x);
        }
        return FaceEmbedding.newBuilder().setFaceId(faceId).setFrameId("frame-1").setCameraId(camera)
                .setCapturedAt(CAPTURED).setVector(values).setModelVersion(model).build();
    }

    static byte[] serialize(FaceEmbedding e) {
        return TOPICS.embeddings().valueSerde().serializer().serialize("embeddings", e);
    }

    private static String header(TestRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
