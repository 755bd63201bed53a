package io.facestream.services.allinone;

import io.facestream.pipeline.access.ServicePrincipal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.inference.testing.SharedData;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.schema.FrameResult;
import io.facestream.services.ingest.camera.CameraAgent;
import io.facestream.services.ingest.camera.FrameSource;
import io.facestream.services.ingest.camera.ImageFolderSource;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camera-grade frames end to end on one pipeline: an enrolled person's face in a 3840×2160 JPEG and in a PNG of
 * more than 12 MB, sent over HTTP and by the camera agent, comes back KNOWN with the right name; bodies over
 * {@link FrameLimits#MAX_IMAGE_BYTES} get 413 with the limit, with a Content-Length and chunked; a frame of
 * exactly the limit is accepted and its dead letter written; a camera agent streaming a folder with an oversized
 * file in the middle sends the files after it.
 */
class LargeFramesIntegrationTest extends RunningPipelineTest {

    private static final int UHD_WIDTH = 3840;
    private static final int UHD_HEIGHT = 2160;
    private static final int BIG_PNG_BYTES = 12_000_000;
    private static final Duration RESULTS_WITHIN = Duration.ofMinutes(4);

    @TempDir
    static Path work;
    static ApiClient api;
    static String person;
    static byte[] uhdJpeg;
    static byte[] bigPng;
    static Path probe;

    @BeforeAll
    static void enrollOnePersonAndPaintTheFrames() throws Exception {
        api = new ApiClient(base, "op", "op-password");
        Path folder = SharedData.require("faces-dev/dlib_johns/John_Simm");
        List<Path> photos;
        try (Stream<Path> s = Files.list(folder)) {
            photos = s.filter(ImageFolderSource::isImage).sorted().toList();
        }
        person = folder.getFileName().toString();
        HttpResponse<String> created = api.send("POST", "/api/v1/identities", JSON.writeValueAsString(
                Map.of("name", person)));
        assertEquals(201, created.statusCode(), created.body());
        String id = ApiClient.json(created).get("id").asText();
        for (Path photo : photos.subList(0, 2)) {
            HttpResponse<String> r = api.sendBytes("/api/v1/identities/" + id + "/faces", Files.readAllBytes(photo));
            assertEquals(201, r.statusCode(), r.body());
        }
        probe = photos.get(2);
        BufferedImage face = ImageIO.read(probe.toFile());
        uhdJpeg = encode(canvas(UHD_WIDTH, UHD_HEIGHT, face, 2600, 1300), "jpg");
        // Noise does not compress: 2400 × 1800 RGB pixels of it make a PNG of about 13 MB.
        bigPng = encode(canvas(2400, 1800, face, 400, 900), "png");
        assertTrue(bigPng.length >= BIG_PNG_BYTES && bigPng.length <= FrameLimits.MAX_IMAGE_BYTES,
                "PNG of " + bigPng.length + " bytes");
    }

    @Test
    void largeFramesOverHttpAndFromTheCameraAgentAreRecognised() throws Exception {
        Map<String, String> sentAs = new HashMap<>(); // frame id → how it was sent
        sentAs.put(publish("http-4k", uhdJpeg, "image/jpeg"), "HTTP 3840x2160 JPEG");
        sentAs.put(publish("http-png", bigPng, "image/png"), "HTTP " + bigPng.length + "-byte PNG");

        Path folder = Files.createDirectories(work.resolve("camera"));
        Files.write(folder.resolve("a-4k.jpg"), uhdJpeg);
        Files.write(folder.resolve("b-big.png"), bigPng);
        try (RandomAccessFile oversized = new RandomAccessFile(folder.resolve("c-oversized.jpg").toFile(), "rw")) {
            oversized.setLength(FrameLimits.MAX_IMAGE_BYTES + 1L);
        }
        Files.copy(probe, folder.resolve("d-after.jpg"));
        List<String> agentFrames = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (CameraAgent agent = new CameraAgent("agent-cam", pipeline.kafka(ServicePrincipal.CAMERA), TOPICS, Clock.systemUTC());
                FrameSource source = new ImageFolderSource(folder)) {
            assertEquals(3, agent.stream(source, 10, agentFrames::add, skipped::add));
        }
        assertEquals(1, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains("c-oversized.jpg") && skipped.get(0).contains(FrameLimits.describe()),
                skipped.get(0));
        List<String> names = List.of("agent a-4k.jpg", "agent b-big.png", "agent d-after.jpg");
        for (int i = 0; i < agentFrames.size(); i++) {
            sentAs.put(agentFrames.get(i), names.get(i));
        }

        Map<String, FrameResult> results = frameResults(sentAs.keySet());
        results.forEach((frameId, r) -> System.out.printf("%s: %d face(s), detected in %d ms%n", sentAs.get(frameId),
                r.getFaceCount(), r.getLatencyMs()));
        Map<String, JsonNode> best = bestMatches(sentAs.keySet());
        best.forEach((frameId, m) -> {
            String what = sentAs.get(frameId);
            assertEquals("KNOWN", m.get("decision").asText(), what + ": " + m);
            assertEquals(person, m.get("candidates").get(0).get("name").asText(), what + ": " + m);
        });
    }

    @Test
    void bodiesOverTheLimitGet413NamingItWithOrWithoutAContentLength() throws Exception {
        byte[] over = new byte[17 << 20];
        String limit = FrameLimits.describe();

        HttpResponse<String> sized = api.sendBytes("/api/v1/frames?camera=too-big", over);
        assertEquals(413, sized.statusCode(), sized.body());
        assertEquals("frame too large: " + over.length + " bytes, limit " + limit, ApiClient.json(sized)
                .get("error").asText());

        HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/frames?camera=c"))
                .header("Authorization", OPERATOR).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(ApiClient.json(chunked).get("error").asText().contains("limit " + limit), chunked.body());
    }

    @Test
    void aFrameOfExactlyTheLimitIsAcceptedAndItsDeadLetterFitsTheDeadLetterTopic() throws Exception {
        byte[] atLimit = new byte[FrameLimits.MAX_IMAGE_BYTES];
        new Random(7).nextBytes(atLimit); // not an image: the detector dead-letters the whole record
        HttpResponse<String> r = api.sendBytes("/api/v1/frames?camera=at-limit", atLimit);
        assertEquals(202, r.statusCode(), r.body());
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            c.subscribe(List.of(TOPICS.frames().deadLetterTopic()));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long size = -1;
            while (size < 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(500))) {
                    if ("at-limit".equals(rec.key())) {
                        size = rec.value().length;
                    }
                }
            }
            assertTrue(size > FrameLimits.MAX_IMAGE_BYTES, "dead letter of the frame at the limit: " + size);
        }
    }

    // ---- helpers ----

    private static String publish(String camera, byte[] image, String type) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/frames?camera=" + camera))
                .header("Authorization", OPERATOR).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return ApiClient.json(r).get("frameId").asText();
    }

    /** The face photo at (x, y) on a canvas of seeded noise (mid-grey ± 40 for the JPEG, full range for PNG). */
    private static BufferedImage canvas(int width, int height, BufferedImage face, int x, int y) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(width);
        boolean full = width != UHD_WIDTH;
        int[] row = new int[width];
        for (int j = 0; j < height; j++) {
            for (int i = 0; i < width; i++) {
                row[i] = full ? random.nextInt(1 << 24) : grey(88 + random.nextInt(80));
            }
            img.setRGB(0, j, width, 1, row, 0, width);
        }
        Graphics2D g = img.createGraphics();
        g.drawImage(face, x, y, null);
        g.dispose();
        return img;
    }

    private static int grey(int v) {
        return (v << 16) | (v << 8) | v;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        KafkaClientSettings kafka = pipeline.kafka();
        return new KafkaConsumer<>(kafka.groupConsumer("test-" + System.nanoTime(), FrameLimits.MAX_RECORD_BYTES),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, FrameResult> frameResults(Set<String> frameIds) {
        Map<String, FrameResult> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            c.subscribe(List.of(TOPICS.frameResults().name()));
            long deadline = System.nanoTime() + RESULTS_WITHIN.toNanos();
            while (!found.keySet().containsAll(frameIds) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    FrameResult result = TOPICS.frameResults().valueSerde().deserializer().deserialize(r.topic(),
                            r.value());
                    if (frameIds.contains(result.getFrameId())) {
                        found.put(result.getFrameId(), result);
                    }
                }
            }
        }
        Set<String> missing = new HashSet<>(frameIds);
        missing.removeAll(found.keySet());
        assertTrue(missing.isEmpty(), missing.size() + " of " + frameIds.size() + " frames have no frame result");
        return found;
    }

    /** Each frame's best match (highest top candidate score) from the matches API, waiting until all have one. */
    private static Map<String, JsonNode> bestMatches(Set<String> frameIds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Map<String, JsonNode> best = new HashMap<>();
        while (System.nanoTime() < deadline) {
            best.clear();
            for (JsonNode m : ApiClient.json(api.get("/api/v1/matches?limit=500"))) {
                String frameId = m.get("frameId").asText();
                if (frameIds.contains(frameId) && (!best.containsKey(frameId) || score(m) > score(best.get(frameId)))) {
                    best.put(frameId, m);
                }
            }
            if (best.keySet().containsAll(frameIds)) {
                return best;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("frames without a match: " + frameIds.stream().filter(f -> !best.containsKey(f))
                .toList());
    }

    private static double score(JsonNode match) {
        JsonNode c = match.get("candidates");
        return c.isEmpty() ? -1 : c.get(0).get("score").asDouble();
    }
}
