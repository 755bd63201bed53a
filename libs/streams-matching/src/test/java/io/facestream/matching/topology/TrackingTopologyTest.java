package io.facestream.matching.topology;

import io.facestream.core.gallery.GalleryKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.track.FaceTracker;
import io.facestream.core.track.Track;
import io.facestream.core.track.TrackerConfig;
import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.BoundingBox;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.FaceQuality;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import io.facestream.schema.Sighting;
import io.facestream.schema.SightingState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tracking in the matching topology, without a broker. Given a gallery of 4-d unit vectors (alice = e1, bob =
 * e2) and the default track settings (a 3 s capture-time gap ends a track; KNOWN from 3 faces at an aggregate ≥
 * the threshold with a margin; a camera quiet for Q = 30 s of wall-clock time has its tracks closed), when a person
 * walks past a camera (faces 200 ms apart, the box moving 20 px a frame), then every face has a match carrying
 * the walk's track id, and {@code sightings} gets OPEN records when the track opens and when its decision or
 * best face changes, and one CLOSED record when it ends — all checked against the tracker state in the store.
 */
class TrackingTopologyTest {

    private static final Topics TOPICS = new Topics(1);
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final Instant WALK_START = Instant.parse("2025-01-01T11:59:00Z");
    private static final MatchConfig CONFIG = new MatchConfig(2, 0.8, Map.of(), 4);
    private static final TrackConfig TRACKS = TrackConfig.defaults(2);
    private static final Duration QUIET = Duration.ofMillis(TRACKS.quietCloseMs());
    /** Cosine 0.9 with alice, 0.1 with bob. */
    private static final float[] ALICE_LIKE = {0.9f, 0.1f, 0.3f, 0.3f};
    /** Cosine 0.9 with bob, 0.1 with alice. */
    private static final float[] BOB_LIKE = {0.1f, 0.9f, 0.3f, 0.3f};

    private GalleryView gallery;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> embeddings;
    private TestOutputTopic<String, byte[]> matches;
    private TestOutputTopic<String, byte[]> sightings;
    private KeyValueStore<String, byte[]> store;

    @BeforeEach
    void setUp() {
        gallery = new GalleryView(4);
        sample("alice", 1, 0, 0, 0);
        sample("bob", 0, 1, 0, 0);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "tracking-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(MatchingTopology.build(TOPICS, CONFIG, TRACKS, gallery,
                Clock.fixed(NOW, ZoneOffset.UTC), new CameraSettings(), GallerySync.NONE), p, NOW);
        embeddings = driver.createInputTopic("embeddings", new StringSerializer(), new ByteArraySerializer());
        matches = driver.createOutputTopic("matches", new StringDeserializer(), new ByteArrayDeserializer());
        sightings = driver.createOutputTopic("sightings", new StringDeserializer(), new ByteArrayDeserializer());
        store = driver.getKeyValueStore(MatchingTopology.TRACKS_STORE);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void aWalkPastTheCameraIsOneTrackWithItsSightings() {
        // Qualities rise to the third face and fall: the best face changes at faces 2 and 3, not after.
        float[] qualities = {0.5f, 0.6f, 0.9f, 0.8f, 0.7f, 0.6f};
        for (int f = 0; f < qualities.length; f++) {
            walk("cam-1", "w", f, 100 + 20 * f, ALICE_LIKE, qualities[f], WALK_START);
        }

        List<Match> ms = readMatches();
        assertEquals(6, ms.size(), "one match per face");
        assertTrue(ms.stream().allMatch(m -> "w-0".equals(m.getTrackId())), "every match carries the walk's track: "
                + ms.stream().map(Match::getTrackId).toList());
        List<KeyValue<String, Sighting>> open = readSightings();
        assertEquals(List.of("w-0", "w-0", "w-0"), open.stream().map(kv -> kv.key).toList(), "keyed by sighting id");
        // opened (one face: too few to decide), best face changed, decided KNOWN with a new best face
        assertSighting(open.get(0).value, SightingState.OPEN, 1, Decision.UNKNOWN, null, "w-0");
        assertSighting(open.get(1).value, SightingState.OPEN, 2, Decision.UNKNOWN, null, "w-1");
        assertSighting(open.get(2).value, SightingState.OPEN, 3, Decision.KNOWN, "alice", "w-2");
        assertEquals(0.9, open.get(2).value.getScore(), 1e-6, "aggregate: the mean cosine with alice");
        assertEquals(0.8, open.get(2).value.getMargin(), 1e-6, "over bob's 0.1");
        assertEquals("Alice", open.get(2).value.getName());
        assertEquals(0.9f, open.get(2).value.getBestQuality(), 1e-6);
        assertEquals(140f, open.get(2).value.getBestBox().getX1(), 0);
        assertEquals(WALK_START, open.get(2).value.getFirstSeenAt());
        assertEquals(NOW, open.get(2).value.getUpdatedAt());

        Track t = tracks("cam-1").get(0);
        assertEquals(List.of("w-0"), tracks("cam-1").stream().map(Track::id).toList(), "the store: one open track");
        assertEquals(6, t.faceCount());
        assertEquals(WALK_START.plusMillis(1000).toEpochMilli(), t.lastSeenMs());

        // The camera goes quiet: Q - 1 s of wall-clock time close nothing, Q close the track.
        driver.advanceWallClockTime(QUIET.minusSeconds(1));
        assertTrue(sightings.isEmpty(), "still within the quiet time");
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<KeyValue<String, Sighting>> closed = readSightings();
        assertEquals(1, closed.size(), "one CLOSED record");
        assertSighting(closed.get(0).value, SightingState.CLOSED, 6, Decision.KNOWN, "alice", "w-2");
        assertEquals(WALK_START.plusMillis(1000), closed.get(0).value.getLastSeenAt());
        assertNull(store.get("cam-1"), "a quiet camera leaves no state behind");
        driver.advanceWallClockTime(QUIET.multipliedBy(2));
        assertTrue(sightings.isEmpty(), "closed once");
    }

    @Test
    void aSecondPersonAfterTheGapClosesTheFirstTrackAndOpensTheirOwn() {
        for (int f = 0; f < 4; f++) {
            walk("cam-1", "a", f, 100 + 20 * f, ALICE_LIKE, 0.8f, WALK_START);
        }
        readSightings();
        // Bob in the same place 4 s after alice's last face (gap 3 s).
        Instant later = WALK_START.plusMillis(600 + 4_000);
        for (int f = 0; f < 4; f++) {
            walk("cam-1", "b", f, 100 + 20 * f, BOB_LIKE, 0.8f, later);
        }

        List<Match> ms = readMatches();
        assertEquals(List.of("a-0", "a-0", "a-0", "a-0", "b-0", "b-0", "b-0", "b-0"),
                ms.stream().map(Match::getTrackId).toList());
        List<KeyValue<String, Sighting>> s = readSightings();
        assertEquals("a-0", s.get(0).key, "alice's track closes first, on bob's first face");
        assertSighting(s.get(0).value, SightingState.CLOSED, 4, Decision.KNOWN, "alice", "a-0");
        assertSighting(s.get(1).value, SightingState.OPEN, 1, Decision.UNKNOWN, null, "b-0");
        assertSighting(s.get(s.size() - 1).value, SightingState.OPEN, 3, Decision.KNOWN, "bob", "b-0");
        assertEquals(3, s.size(), "no sighting while bob's track does not change: " + s);
        assertEquals(List.of("b-0"), tracks("cam-1").stream().map(Track::id).toList());
    }

    @Test
    void twoCamerasKeepTheirOwnTracksAndOnlyTheQuietOneIsClosed() {
        walk("cam-1", "one", 0, 100, ALICE_LIKE, 0.8f, WALK_START);
        driver.advanceWallClockTime(QUIET.minusSeconds(10));
        walk("cam-2", "two", 0, 100, ALICE_LIKE, 0.8f, WALK_START);
        readSightings();
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        List<KeyValue<String, Sighting>> closed = readSightings();
        assertEquals(List.of("one-0"), closed.stream().map(kv -> kv.key).toList(), "cam-1 was quiet for Q");
        assertEquals(SightingState.CLOSED, closed.get(0).value.getState());
        assertNull(store.get("cam-1"));
        assertEquals(List.of("two-0"), tracks("cam-2").stream().map(Track::id).toList(), "cam-2 was quiet for 10 s");
    }

    @Test
    void anUnreadableTrackerStateStartsTheCameraAfreshInsteadOfFailingEveryFace() {
        store.put("cam-1", new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 99}); // tracker state of an unknown codec version
        walk("cam-1", "w", 0, 100, ALICE_LIKE, 0.8f, WALK_START);

        assertEquals(List.of("w-0"), readMatches().stream().map(Match::getTrackId).toList());
        assertEquals(List.of("w-0"), tracks("cam-1").stream().map(Track::id).toList());
    }

    // ---------------------------------------------------------------- fixtures

    /** Face {@code f} of a walk: id {@code <walk>-<f>}, its own frame, 200 ms after the previous, a 100 px box at x. */
    private void walk(String camera, String walk, int f, float x, float[] vector, float quality, Instant start) {
        List<Float> values = new ArrayList<>();
        for (float v : vector) {
            values.add(v);
        }
        FaceEmbedding e = FaceEmbedding.newBuilder().setFaceId(walk + "-" + f).setFrameId(walk + "-frame-" + f)
                .setCameraId(camera).setCapturedAt(start.plusMillis(200L * f)).setVector(values).setModelVersion("A")
                .setBox(BoundingBox.newBuilder().setX1(x).setY1(50).setX2(x + 100).setY2(150).build())
                .setQuality(FaceQuality.newBuilder().setScore(quality).setWidthPx(100).setHeightPx(100)
                        .setSharpness(100).setFrontality(1).build())
                .build();
        embeddings.pipeInput(camera, MatchingTopologyTest.serialize(e));
    }

    private List<Match> readMatches() {
        return matches.readValuesToList().stream()
                .map(b -> TOPICS.matches().valueSerde().deserializer().deserialize("matches", b)).toList();
    }

    private List<KeyValue<String, Sighting>> readSightings() {
        return sightings.readKeyValuesToList().stream().map(kv -> KeyValue.pair(kv.key,
                TOPICS.sightings().valueSerde().deserializer().deserialize("sightings", kv.value))).toList();
    }

    /** The open tracks of a camera as the store holds them. */
    private List<Track> tracks(String camera) {
        byte[] value = store.get(camera);
        assertTrue(value != null, "no state for " + camera);
        return FaceTracker.fromBytes(TrackerConfig.DEFAULT, Arrays.copyOfRange(value, Long.BYTES, value.length))
                .openTracks();
    }

    private static void assertSighting(Sighting s, SightingState state, int faces, Decision decision,
            String identity, String bestFace) {
        assertEquals(state, s.getState(), s.toString());
        assertEquals(faces, s.getFaceCount(), s.toString());
        assertEquals(decision, s.getDecision(), s.toString());
        assertEquals(identity, s.getIdentityId(), s.toString());
        assertEquals(bestFace, s.getBestFaceId(), s.toString());
        assertTrue(s.getCameraId().startsWith("cam-"), s.toString());
        assertEquals("A", s.getModelVersion());
    }

    private void sample(String identity, double... vector) {
        List<Float> values = new ArrayList<>();
        for (double x : vector) {
            values.add((float) x);
        }
        gallery.applySample(GalleryKey.of(identity, "s1"), GallerySample.newBuilder().setIdentityId(identity)
                .setSampleId("s1").setVector(values).setModelVersion("A").setEnrolledAt(NOW).build());
        gallery.applyIdentity(identity, Identity.newBuilder().setIdentityId(identity)
                .setDisplayName(Character.toUpperCase(identity.charAt(0)) + identity.substring(1)).setCreatedAt(NOW)
                .build());
    }
}
