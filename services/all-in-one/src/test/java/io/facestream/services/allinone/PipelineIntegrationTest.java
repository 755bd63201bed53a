package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.inference.testing.SharedData;
import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.schema.Match;
import io.facestream.vision.OpenCvLoader;
import io.facestream.vision.testing.OddEncodings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The product end to end in one JVM on the in-process broker: enroll people through the API, stream their
 * other photos from two cameras, and check the matches; then feed it bad input and check the dead letters.
 */
class PipelineIntegrationTest extends RunningPipelineTest {

    @Test
    void enrolledPeopleAreRecognisedAndStrangersAreNot() throws Exception {
        Path johns = SharedData.require("faces-dev/dlib_johns");
        Map<String, String> identityOf = new HashMap<>(); // folder → identity id
        List<Path[]> probes = new ArrayList<>(); // {image, folder}
        try (Stream<Path> people = Files.list(johns)) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                List<Path> photos = images(person);
                String id = createIdentity(person.getFileName().toString());
                identityOf.put(person.getFileName().toString(), id);
                for (Path photo : photos.subList(0, 2)) {
                    HttpResponse<String> r = post("/api/v1/identities/" + id + "/faces", Files.readAllBytes(photo));
                    assertEquals(201, r.statusCode(), r.body());
                }
                photos.subList(2, photos.size()).forEach(p -> probes.add(new Path[] {p, person}));
            }
        }
        // Strangers: people of other sets. human_samples/person_vlado is left out on purpose: he scores 0.56
        // against John_Simm, a look-alike that any threshold below 0.57 accepts (README, "Match threshold").
        List<Path> strangers = new ArrayList<>(images(SharedData.require("faces-dev/human_samples/stock_emotions_a")));
        strangers.addAll(images(SharedData.require("faces-dev/human_samples/stock_emotions_b")));
        strangers.addAll(images(SharedData.require("faces-dev/face_recognition")));
        Map<String, String> expected = new HashMap<>(); // frameId → identity id, or "" for a stranger
        int n = 0;
        for (Path[] probe : probes) {
            expected.put(publishFrame(n++ % 2 == 0 ? "cam-a" : "cam-b", probe[0]),
                    identityOf.get(probe[1].getFileName().toString()));
        }
        for (Path stranger : strangers) {
            String f = publishFrame(n++ % 2 == 0 ? "cam-a" : "cam-b", stranger);
            expected.put(f, "");
        }

        Map<String, FrameResult> results = readUntil(TOPICS.frameResults().name(), TOPICS.frameResults().valueSerde()
                .deserializer()::deserialize, r -> r.getFrameId(), expected.keySet(), Duration.ofMinutes(3));
        int faces = results.values().stream().mapToInt(FrameResult::getFaceCount).sum();
        List<Match> matches = readMatches(faces, Duration.ofMinutes(2));

        assertEquals(faces, matches.size(), "one match per detected face");
        assertEquals(faces, matches.stream().map(Match::getFaceId).distinct().count(), "no duplicate matches");
        int correct = 0, known = 0, strangersKnown = 0;
        for (String frameId : expected.keySet()) {
            List<Match> ofFrame = matches.stream().filter(m -> m.getFrameId().equals(frameId)).toList();
            Match best = ofFrame.stream().max((a, b) -> Double.compare(score(a), score(b))).orElse(null);
            String want = expected.get(frameId);
            if (want.isEmpty()) {

                strangersKnown += ofFrame.stream().filter(m -> m.getDecision() == Decision.KNOWN).count();

            } else if (best != null && best.getDecision() == Decision.KNOWN) {
                known++;

                correct += best.getCandidates().get(0).getIdentityId().equals(want) ? 1 : 0;
            }
        }
        System.out.printf("probes %d, faces %d, known %d, top-1 correct %d, strangers matched %d%n", probes.size(),
                faces, known, correct, strangersKnown);
        assertTrue(correct >= 0.95 * probes.size(), "top-1 correct " + correct + " of " + probes.size());
        assertEquals(0, strangersKnown, "faces of people who were not enrolled must be UNKNOWN");
        assertTrue(matches.stream().allMatch(m -> m.getModelVersion().startsWith("mobilefacenet-")));

        JsonNode recent = JSON.readTree(get("/api/v1/matches?limit=5").body());
        assertEquals(5, recent.size());
        assertTrue(recent.get(0).has("candidates") && recent.get(0).has("decision") && recent.get(0).has("cameraId"));
    }

    @Test
    void badInputLandsInTheRightDeadLetterTopicWithAReason() throws Exception {
        Path photo = Path.of(System.getenv().getOrDefault("FACESTREAM_DEMO_DIR", ".cache/demo-photos"), "sample2.jpg");
        byte[] jpeg = Files.readAllBytes(photo);
        Map<String, String> frameCases = new HashMap<>(); // key → expected error kind
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, TOPICS.frames().name(), "not-avro", "{\"frame\":1}".getBytes(StandardCharsets.UTF_8));
            frameCases.put("not-avro", "not-avro");
            send(producer, TOPICS.frames().name(), "empty", new byte[0]);
            frameCases.put("empty", "empty-record");
            send(producer, TOPICS.frames().name(), "truncated", frame("cam-x", java.util.Arrays.copyOf(jpeg, jpeg.length / 2)));
            frameCases.put("truncated", "undecodable-image");
            byte[] random = new byte[4096];
            new Random(1).nextBytes(random);
            send(producer, TOPICS.frames().name(), "random", frame("cam-x", random));
            frameCases.put("random", "undecodable-image");
            send(producer, TOPICS.frames().name(), "no-camera", frame("", jpeg));
            frameCases.put("no-camera", "missing-field");
            send(producer, TOPICS.frames().name(), "bomb", frame("cam-x", pngHeaderOnly(30000, 30000)));
            frameCases.put("bomb", "undecodable-image");

            send(producer, TOPICS.embeddings().name(), "wrong-dim", embedding(new float[10]));
            float[] nan = unit(192);
            nan[3] = Float.NaN;
            send(producer, TOPICS.embeddings().name(), "nan", embedding(nan));
        }
        Map<String, ConsumerRecord<String, byte[]>> frameLetters = readDeadLetters(TOPICS.frames().deadLetterTopic(),
                frameCases.keySet());
        frameCases.forEach((key, kind) -> {
            ConsumerRecord<String, byte[]> r = frameLetters.get(key);
            assertEquals(kind, header(r, DeadLetter.ERROR_CLASS), key);
            assertEquals("detector", header(r, DeadLetter.STAGE), key);
            assertEquals("frames", header(r, DeadLetter.SOURCE_TOPIC), key);
            assertTrue(!header(r, DeadLetter.MESSAGE).isBlank(), key + " has a reason");
        });
        assertTrue(header(frameLetters.get("bomb"), DeadLetter.MESSAGE).contains("MP"),
                header(frameLetters.get("bomb"), DeadLetter.MESSAGE));
        Map<String, ConsumerRecord<String, byte[]>> embeddingLetters = readDeadLetters(
                TOPICS.embeddings().deadLetterTopic(), Set.of("wrong-dim", "nan"));
        assertEquals("wrong-dimension", header(embeddingLetters.get("wrong-dim"), DeadLetter.ERROR_CLASS));
        assertEquals("non-finite", header(embeddingLetters.get("nan"), DeadLetter.ERROR_CLASS));

        // Valid but unusual encodings are frames like any other, and the pipeline is still alive: each gets its
        // result with the photo's one face.
        java.awt.image.BufferedImage person = OddEncodings.scaled(javax.imageio.ImageIO.read(photo.toFile()), 640);
        Map<String, byte[]> odd = Map.of("grey", OddEncodings.greyPng(person), "alpha", OddEncodings.alphaPng(person),
                "16-bit", OddEncodings.sixteenBitPng(OddEncodings.jpeg(person)), "cmyk", OddEncodings.cmykJpeg(person),
                "plain", OddEncodings.jpeg(person));
        Map<String, String> frameIds = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (var e : odd.entrySet()) {
                Frame f = Frame.newBuilder().setFrameId(UUID.randomUUID().toString()).setCameraId("cam-after")
                        .setCapturedAt(Instant.now()).setSeq(1).setImage(ByteBuffer.wrap(e.getValue())).build();
                frameIds.put(f.getFrameId(), e.getKey());
                send(producer, TOPICS.frames().name(), "cam-after", TOPICS.frames().valueSerde().serializer()
                        .serialize("frames", f));
            }
        }
        Map<String, FrameResult> results = readUntil(TOPICS.frameResults().name(),
                TOPICS.frameResults().valueSerde().deserializer()::deserialize, FrameResult::getFrameId,
                frameIds.keySet(), Duration.ofSeconds(60));
        results.forEach((id, r) -> assertTrue(r.getFaceCount() >= 1, frameIds.get(id) + " frame: no face found"));
    }

    @Test
    void httpApiRejectsBadRequestsWithReasons() throws Exception {
        assertEquals(400, post("/api/v1/frames", new byte[] {1, 2, 3}).statusCode(), "no camera");
        assertEquals(400, post("/api/v1/frames?camera=c", new byte[0]).statusCode(), "empty body");
        assertEquals(413, post("/api/v1/frames?camera=c", new byte[17 << 20]).statusCode(), "oversized");
        assertEquals(404, post("/api/v1/identities/" + UUID.randomUUID() + "/faces", new byte[] {1}).statusCode());
        String id = createIdentity("no-face person");
        HttpResponse<String> noFace = post("/api/v1/identities/" + id + "/faces", pngOf(64, 64));
        assertEquals(422, noFace.statusCode(), noFace.body());
        assertTrue(noFace.body().contains("no face"), noFace.body());
        // A face of about 23x30 px is below the enrollment gate: 422 with the gate's reason.
        HttpResponse<String> tiny = post("/api/v1/identities/" + id + "/faces",
                shrunkPng(SharedData.require("faces-dev/human_samples/person_vlado/person-vlado.jpg"), 160));
        assertEquals(422, tiny.statusCode(), tiny.body());
        assertTrue(tiny.body().contains("face too small"), tiny.body());
        assertEquals(204, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/identities/" + id))
                .header("Authorization", OPERATOR).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(404, get("/api/v1/identities/" + id).statusCode());
        assertEquals(200, get("/health").statusCode());
        // Authentication and roles: nobody → 401, a viewer changing state → 403.
        assertEquals(401, post("/api/v1/frames?camera=c", new byte[] {1}, null).statusCode());
        assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/matches")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(403, post("/api/v1/identities/" + id + "/faces", new byte[] {1}, VIEWER).statusCode());
        assertTrue(get("/prometheus").body().contains("facestream_frames"), "stage metrics are exported");
    }

    // ---- helpers ----

    private static double score(Match m) {
        return m.getCandidates().isEmpty() ? -1 : m.getCandidates().get(0).getScore();
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(jpe?g|png)$")).sorted()
                    .toList();
        }
    }

    private static String createIdentity(String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/identities"))
                .header("Content-Type", "application/json").header("Authorization", OPERATOR)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", name)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static String publishFrame(String camera, Path image) throws Exception {
        HttpResponse<String> r = post("/api/v1/frames?camera=" + camera, Files.readAllBytes(image));
        assertEquals(202, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("frameId").asText();
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return post(path, body, OPERATOR);
    }

    private static HttpResponse<String> post(String path, byte[] body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", VIEWER).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }


    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.putAll(pipeline.adminClientConfig()); // as the broker admin: the test reads and writes any topic
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static byte[] frame(String camera, byte[] image) {
        Frame f = Frame.newBuilder().setFrameId(UUID.randomUUID().toString()).setCameraId(camera)
                .setCapturedAt(Instant.now()).setSeq(1).setImage(ByteBuffer.wrap(image)).build();
        return TOPICS.frames().valueSerde().serializer().serialize("frames", f);
    }

    private static byte[] embedding(float[] v) {
        List<Float> vector = new ArrayList<>();
        for (float x : v) {
            vector.add(x);
        }
        FaceEmbedding e = FaceEmbedding.newBuilder().setFaceId("f-" + UUID.randomUUID()).setFrameId("fr")
                .setCameraId("cam-x").setCapturedAt(Instant.now()).setVector(vector).setModelVersion("m").build();
        return TOPICS.embeddings().valueSerde().serializer().serialize("embeddings", e);
    }

    private static float[] unit(int n) {
        float[] v = new float[n];
        v[0] = 1;
        return v;
    }

    /** A PNG signature and IHDR declaring a huge image, with no pixel data: refused before decoding. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        b.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII)).putInt(0);
        return b.array();
    }

    private static byte[] shrunkPng(Path photo, int width) {
        OpenCvLoader.ensureLoaded();
        Mat src = Imgcodecs.imread(photo.toString());
        Mat small = new Mat();
        MatOfByte png = new MatOfByte();
        try {
            Imgproc.resize(src, small, new Size(width, Math.round(src.rows() * (double) width / src.cols())), 0, 0,
                    Imgproc.INTER_AREA);
            Imgcodecs.imencode(".png", small, png);
            return png.toArray();
        } finally {
            src.release();
            small.release();
            png.release();
        }
    }

    private static byte[] pngOf(int w, int h) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.putAll(pipeline.adminClientConfig()); // as the broker admin: the test reads and writes any topic
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private interface Decoder<T> {
        T decode(String topic, byte[] bytes);
    }

    private interface Id<T> {
        String of(T value);
    }

    private static <T> Map<String, T> readUntil(String topic, Decoder<T> decoder, Id<T> id, Set<String> wanted,
            Duration timeout) {
        Map<String, T> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!found.keySet().containsAll(wanted) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    T v = decoder.decode(topic, r.value());
                    if (wanted.contains(id.of(v))) {
                        found.put(id.of(v), v);
                    }
                }
            }
        }
        Set<String> missing = new HashSet<>(wanted);
        missing.removeAll(found.keySet());
        assertTrue(missing.isEmpty(), missing.size() + " records missing on " + topic);
        return found;
    }

    private static List<Match> readMatches(int expected, Duration timeout) {
        List<Match> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            c.subscribe(List.of(TOPICS.matches().name()));
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietUntil = Long.MAX_VALUE;
            // Read until the expected count, then a little longer to catch any duplicate.
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    Match m = TOPICS.matches().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (!m.getCameraId().startsWith("cam-after") && !m.getCameraId().equals("cam-x")) {
                        out.add(m);
                    }
                }
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<String, ConsumerRecord<String, byte[]>> readDeadLetters(String topic, Set<String> keys) {
        Map<String, ConsumerRecord<String, byte[]>> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!found.keySet().containsAll(keys) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (keys.contains(r.key())) {
                        found.put(r.key(), r);
                    }
                }
            }
        }
        assertEquals(keys, found.keySet(), "dead letters on " + topic);
        return found;
    }
}
