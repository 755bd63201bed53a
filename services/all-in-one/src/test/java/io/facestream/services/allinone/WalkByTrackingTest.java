package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Decision;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.schema.Match;
import io.facestream.schema.Sighting;
import io.facestream.schema.SightingState;
import io.facestream.services.matcher.streams.MatchingStreams;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracking end to end, through the real detector and embedder on the in-process broker: two dlib_johns people,
 * each enrolled with two photos, walk past one camera — a third photo of each, 1.5× (225 px), moving across a
 * 1280×720 canvas in 40 frames at 5 fps — one after the other, 5 s apart, and a third, not enrolled, passes by
 * in one frame 5 s later (which ends the second walk by the track gap). The matcher's Kafka Streams is
 * restarted from its changelog (local state deleted) in the middle of the first walk. Then {@code matches} has
 * one record per detected face, and {@code sightings} exactly one sighting per walk, closed, naming the walker.
 */
class WalkByTrackingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Topics TOPICS = new Topics(4);
    private static final String OPERATOR = "Basic " + Base64.getEncoder()
            .encodeToString("op:op-password".getBytes(StandardCharsets.UTF_8));
    private static final String CAMERA = "walk-cam";
    /** Not enrolled. */
    private static final String PASSER_BY = "John_Schneider";
    private static final int FRAMES = 40;
    private static final long FRAME_MS = 200;
    private static final int CANVAS_W = 1280;
    private static final int CANVAS_H = 720;
    private static final int FACE = 225;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path data;
    private static EmbeddedPipeline pipeline;

    @BeforeAll
    static void startPipeline() {
        SharedData.require("faces-dev");
        // Motion gating as deployed; no load shedding, so every frame of a walk is detected even when this
        // machine is slower than the 5 fps camera (the counts below are per frame).
        Map<String, Object> settings = new HashMap<>(EmbeddedPipeline.account("op", "op-password", "operator"));
        settings.put("facestream.detector.max-backlog-age", "0s");
        pipeline = EmbeddedPipeline.start(data, TestModels.dir(), 0, 0, settings);
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void eachWalkPastTheCameraIsOneSightingOfTheWalkerAcrossAMatcherRestart() throws Exception {
        Path johns = SharedData.require("faces-dev/dlib_johns");
        List<String> walkers = List.of("John_Salley", "John_Savage");
        Map<String, String> identityOf = new LinkedHashMap<>();
        Map<String, Path> walkPhoto = new HashMap<>();
        for (String person : walkers) {
            List<Path> photos = images(johns.resolve(person));
            String id = createIdentity(person);
            identityOf.put(person, id);
            for (Path photo : photos.subList(0, 2)) {
                HttpResponse<String> r = post("/api/v1/identities/" + id + "/faces", Files.readAllBytes(photo));
                assertEquals(201, r.statusCode(), r.body());
            }
            walkPhoto.put(person, photos.get(2));
        }

        Instant start = Instant.now();
        Map<String, String> walkerOfFrame = new HashMap<>();
        Map<String, String> passerBy = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            walkerOfFrame.putAll(walk(producer, "John_Salley", walkPhoto.get("John_Salley"), start));
            // Restart the matcher while the first walk is still being matched: its track must survive it.
            awaitCount(TOPICS.matches().name(), r -> walkerOfFrame.containsKey(match(r).getFrameId()), 8);
            int beforeRestart = count(TOPICS.matches().name(), r -> walkerOfFrame.containsKey(match(r).getFrameId()));
            pipeline.context().getBean(MatchingStreams.class).restartFromChangelog();
            assertTrue(beforeRestart < FRAMES, "restarted in the middle of the walk, after " + beforeRestart);
            System.out.printf("walk-by: matcher restarted after %d of %d matches of the first walk%n", beforeRestart,
                    FRAMES);
            Instant second = start.plusMillis(FRAMES * FRAME_MS + 5_000);
            walkerOfFrame.putAll(walk(producer, "John_Savage", walkPhoto.get("John_Savage"), second));
            // A passer-by 5 s (capture time) after the second walk ends it by the track gap, so the test need not
            // wait for the wall-clock quiet time; a person nobody enrolled, in one frame.
            Instant third = second.plusMillis(FRAMES * FRAME_MS + 5_000);
            passerBy.putAll(walk(producer, PASSER_BY, images(johns.resolve(PASSER_BY)).get(0), third, 1));
        }

        int faces = awaitFrameResults(walkerOfFrame.keySet()).values().stream().mapToInt(FrameResult::getFaceCount)
                .sum();
        awaitFrameResults(passerBy.keySet());
        assertTrue(faces >= 2 * FRAMES * 0.9, "faces found in " + 2 * FRAMES + " frames: " + faces);
        // Both walks closed by the gap: the first when the second walker appeared, the second at the passer-by.
        awaitCount(TOPICS.sightings().name(), r -> sighting(r).getCameraId().equals(CAMERA)
                && sighting(r).getState() == SightingState.CLOSED && !passerBy.containsKey(sighting(r)
                        .getBestFrameId()), 2);

        List<Match> matches = read(TOPICS.matches().name()).stream().map(WalkByTrackingTest::match)
                .filter(m -> walkerOfFrame.containsKey(m.getFrameId())).toList();
        assertEquals(faces, matches.size(), "one match per detected face");
        assertEquals(faces, matches.stream().map(Match::getFaceId).distinct().count(), "no duplicate match");
        assertTrue(matches.stream().allMatch(m -> m.getTrackId() != null), "every match has its track");
        List<Sighting> sightings = read(TOPICS.sightings().name()).stream().map(WalkByTrackingTest::sighting)
                .filter(s -> s.getCameraId().equals(CAMERA) && !passerBy.containsKey(s.getBestFrameId())).toList();
        Map<String, List<Sighting>> byId = sightings.stream().collect(Collectors.groupingBy(Sighting::getSightingId,
                TreeMap::new, Collectors.toList()));
        Map<String, Long> knownFaces = matches.stream().filter(m -> m.getDecision() == Decision.KNOWN)
                .collect(Collectors.groupingBy(Match::getTrackId, Collectors.counting()));
        byId.forEach((id, records) -> System.out.printf("walk-by: sighting %s: %s; faces %d; KNOWN faces %d%n", id,
                records.stream().map(s -> s.getState() + "/" + s.getFaceCount() + "/" + s.getName()
                        + String.format("/%.3f/%.3f", s.getScore(), s.getMargin())).toList(),
                records.get(records.size() - 1).getFaceCount(), knownFaces.getOrDefault(id, 0L)));
        assertEquals(2, byId.size(), "one sighting per walk: " + byId.keySet());

        for (List<Sighting> records : byId.values()) {
            Sighting last = records.get(records.size() - 1);
            assertEquals(SightingState.CLOSED, last.getState(), "the latest record of a walk is CLOSED");
            assertEquals(1, records.stream().filter(s -> s.getState() == SightingState.CLOSED).count(), "closed once");
            assertEquals(1, records.stream().filter(s -> s.getFaceCount() == 1).count(), "opened once");
            String walker = walkerOfFrame.get(last.getBestFrameId());
            assertEquals(Decision.KNOWN, last.getDecision(), walker + ": " + last);
            assertEquals(identityOf.get(walker), last.getIdentityId(), "the walker is named: " + last);
            assertEquals(walker, last.getName());
            List<Match> ofTrack = matches.stream().filter(m -> m.getTrackId().equals(last.getSightingId())).toList();
            assertEquals(last.getFaceCount(), ofTrack.size(), "the sighting counts its track's matches");
            assertTrue(ofTrack.stream().allMatch(m -> walker.equals(walkerOfFrame.get(m.getFrameId()))),
                    "a track holds one walker's faces");
        }
    }

    @Test
    void aStaticSceneIsMostlySkippedByTheMotionGateAndIsOneSighting() throws Exception {
        Path johns = SharedData.require("faces-dev/dlib_johns");
        String camera = "static-cam";
        byte[] still = canvasJpeg(ImageIO.read(images(johns.resolve("John_Salley")).get(3).toFile()), 500, 220);
        Instant start = Instant.now();
        Map<String, String> stillFrames = new HashMap<>();
        Map<String, String> passerBy = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < 60; i++) { // 12 s at 5 fps, the same picture each time
                String frameId = "still-" + UUID.randomUUID();
                send(producer, camera, frameId, start.plusMillis(i * FRAME_MS), i, still);
                stillFrames.put(frameId, "still");
            }
            // Someone else, elsewhere in the picture, 5 s (capture time) later ends the still face's track by the
            // track gap, so the test need not wait for the wall-clock quiet time.
            String frameId = "passer-" + UUID.randomUUID();
            send(producer, camera, frameId, start.plusMillis(60 * FRAME_MS + 5_000), 60,
                    canvasJpeg(ImageIO.read(images(johns.resolve(PASSER_BY)).get(0).toFile()), 100, 200));
            passerBy.put(frameId, PASSER_BY);
            producer.flush();
        }
        Map<String, FrameResult> results = awaitFrameResults(stillFrames.keySet());
        awaitFrameResults(passerBy.keySet());
        long noMotion = results.values().stream().filter(r -> "no-motion".equals(r.getSkipReason())).count();
        assertTrue(noMotion >= 50, "frames skipped for no motion: " + noMotion + " of 60");
        assertTrue(results.values().stream().anyMatch(r -> r.getSkipReason() == null && r.getFaceCount() == 1),
                "the keyframes find the face");
        assertEquals(60, count(TOPICS.frameResults().name(), r -> stillFrames.containsKey(
                TOPICS.frameResults().valueSerde().deserializer().deserialize(r.topic(), r.value()).getFrameId())),
                "one frame result per frame");
        awaitCount(TOPICS.sightings().name(), r -> sighting(r).getCameraId().equals(camera)
                && sighting(r).getState() == SightingState.CLOSED && stillFrames.containsKey(sighting(r)
                        .getBestFrameId()), 1);
        Set<String> sightings = read(TOPICS.sightings().name()).stream().map(WalkByTrackingTest::sighting)
                .filter(s -> s.getCameraId().equals(camera) && stillFrames.containsKey(s.getBestFrameId()))
                .map(Sighting::getSightingId).collect(Collectors.toSet());
        System.out.printf("static scene: %d of 60 frames skipped (no motion), sightings %s%n", noMotion, sightings);
        assertEquals(1, sightings.size(), "one sighting of the face that stood still: " + sightings);
    }

    // ---- the walk ----

    /** A {@code CANVAS_W}×{@code CANVAS_H} JPEG with {@code face} drawn {@code FACE} px wide at (x, y). */
    private static byte[] canvasJpeg(BufferedImage face, int x, int y) throws IOException {
        BufferedImage canvas = new BufferedImage(CANVAS_W, CANVAS_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(new Color(96, 104, 112));
        g.fillRect(0, 0, CANVAS_W, CANVAS_H);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(face, x, y, FACE, FACE, null);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(canvas, "jpg", jpeg);
        return jpeg.toByteArray();
    }

    private static void send(KafkaProducer<String, byte[]> producer, String camera, String frameId, Instant at,
            int seq, byte[] jpeg) {
        Frame f = Frame.newBuilder().setFrameId(frameId).setCameraId(camera).setCapturedAt(at).setSeq(seq)
                .setImage(ByteBuffer.wrap(jpeg)).build();
        producer.send(new ProducerRecord<>(TOPICS.frames().name(), camera, TOPICS.frames().encode(f)));
    }

    /** Publishes one walk of {@link #FRAMES} frames; returns frame id → walker. */
    private static Map<String, String> walk(KafkaProducer<String, byte[]> producer, String walker, Path photo,
            Instant start) throws IOException {
        return walk(producer, walker, photo, start, FRAMES);
    }

    private static Map<String, String> walk(KafkaProducer<String, byte[]> producer, String walker, Path photo,
            Instant start, int frameCount) throws IOException {
        BufferedImage face = ImageIO.read(photo.toFile());
        Map<String, String> frames = new HashMap<>();
        for (int i = 0; i < frameCount; i++) {
            int x = (CANVAS_W - FACE) * i / (FRAMES - 1);
            int y = 200 + (int) (20 * Math.sin(i / 3.0)); // a little up and down, like a walk
            String frameId = walker + "-" + UUID.randomUUID();
            send(producer, CAMERA, frameId, start.plusMillis(i * FRAME_MS), i, canvasJpeg(face, x, y));
            frames.put(frameId, walker);
        }
        producer.flush();
        return frames;
    }

    // ---- helpers ----

    private static Match match(ConsumerRecord<String, byte[]> r) {
        return TOPICS.matches().valueSerde().deserializer().deserialize(r.topic(), r.value());
    }

    private static Sighting sighting(ConsumerRecord<String, byte[]> r) {
        return TOPICS.sightings().valueSerde().deserializer().deserialize(r.topic(), r.value());
    }

    private static Map<String, FrameResult> awaitFrameResults(Set<String> frameIds) throws InterruptedException {
        Map<String, FrameResult> found = new HashMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!found.keySet().containsAll(frameIds)) {
            assertTrue(System.nanoTime() < deadline, "frame results: " + found.size() + " of " + frameIds.size());
            for (ConsumerRecord<String, byte[]> r : read(TOPICS.frameResults().name())) {
                FrameResult fr = TOPICS.frameResults().valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (frameIds.contains(fr.getFrameId())) {
                    found.put(fr.getFrameId(), fr);
                }
            }
            Thread.sleep(500);
        }
        return found;
    }

    private static void awaitCount(String topic, Predicate<ConsumerRecord<String, byte[]>> which, int n)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int seen;
        while ((seen = count(topic, which)) < n) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + seen + " of " + n + " records on " + topic);
            Thread.sleep(250);
        }
    }

    private static int count(String topic, Predicate<ConsumerRecord<String, byte[]>> which) {
        return (int) read(topic).stream().filter(which).count();
    }

    /** The committed records of a topic, from the beginning to its current end. */
    private static List<ConsumerRecord<String, byte[]>> read(String topic) {
        Properties p = new Properties();
        p.putAll(pipeline.adminClientConfig());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (!end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(pipeline.kafka(ServicePrincipal.CAMERA).producer(4 << 20), new StringSerializer(),
                new ByteArraySerializer());
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().matches(".*\\.(jpe?g|png)$")).sorted().toList();
        }
    }

    private static String createIdentity(String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.baseUrl() + "/api/v1/identities"))
                .header("Content-Type", "application/json").header("Authorization", OPERATOR)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", name)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.baseUrl() + path))
                .header("Content-Type", "application/octet-stream").header("Authorization", OPERATOR)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
