package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.inference.testing.SharedData;
import io.facestream.schema.Feedback;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The dashboard's API on the running pipeline: review, feedback, cameras, statistics, thumbnails, roles. */
class DashboardApiTest extends RunningPipelineTest {

    @Test
    void anUnknownFaceIsQueuedLabelledOnceAndCamerasAndStatsFollow() throws Exception {
        List<Path> simm = photos("faces-dev/dlib_johns/John_Simm");
        String simmId = json(send("POST", "/api/v1/identities", "{\"name\":\"John Simm\"}", OPERATOR)).get("id").asText();
        assertEquals(201, sendBytes("/api/v1/identities/" + simmId + "/faces", Files.readAllBytes(simm.get(0))).statusCode());

        // A stranger's face lands in the review queue with a thumbnail.
        String stranger = publish("door", photos("faces-dev/human_samples/stock_emotions_a").get(0));
        JsonNode item = await(() -> find(get("/api/v1/review?limit=50", VIEWER), stranger), "review item");
        assertEquals("UNKNOWN", item.get("reason").asText());
        String faceId = item.get("faceId").asText();
        HttpResponse<byte[]> crop = HTTP.send(request(item.get("thumbnailUrl").asText(), VIEWER).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, crop.statusCode());
        assertEquals((byte) 0x89, crop.body()[0], "a PNG");

        // Bad feedback is refused without writing anything; the same decision twice is one record.
        assertEquals(400, send("POST", "/api/v1/feedback", "{\"faceId\":", OPERATOR).statusCode());
        assertEquals(400, send("POST", "/api/v1/feedback", "{\"faceId\":\"" + faceId + "\",\"verdict\":\"MAYBE\"}",
                OPERATOR).statusCode());
        assertEquals(404, send("POST", "/api/v1/feedback", "{\"faceId\":\"nope\",\"verdict\":\"NEW_IDENTITY\","
                + "\"name\":\"x\"}", OPERATOR).statusCode());
        assertEquals(404, send("POST", "/api/v1/feedback", "{\"faceId\":\"" + faceId + "\",\"verdict\":\"RELABEL\","
                + "\"identityId\":\"" + UUID.randomUUID() + "\"}", OPERATOR).statusCode());
        assertEquals(403, send("POST", "/api/v1/feedback", "{\"faceId\":\"" + faceId + "\",\"verdict\":\"RELABEL\","
                + "\"identityId\":\"" + simmId + "\"}", VIEWER).statusCode());
        String relabel = "{\"faceId\":\"" + faceId + "\",\"verdict\":\"RELABEL\",\"identityId\":\"" + simmId + "\"}";
        HttpResponse<String> first = send("POST", "/api/v1/feedback", relabel, OPERATOR);
        HttpResponse<String> again = send("POST", "/api/v1/feedback", relabel, OPERATOR);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(200, again.statusCode());
        assertEquals(json(first).get("feedbackId"), json(again).get("feedbackId"));
        List<Feedback> written = feedbackFor(faceId);
        assertEquals(1, written.size(), "exactly one feedback record");
        assertEquals(simmId, written.get(0).getIdentityId());
        assertEquals("op", written.get(0).getOperator());
        assertTrue(find(get("/api/v1/review?limit=50", VIEWER), stranger) == null, "labelled faces leave the queue");

        // A camera's threshold changes without a restart: at 0.99 even John Simm is UNKNOWN there.
        assertEquals(200, send("PUT", "/api/v1/cameras/strict", "{\"threshold\":0.99}", OPERATOR).statusCode());
        assertEquals(403, send("PUT", "/api/v1/cameras/strict", "{\"threshold\":0.1}", VIEWER).statusCode());
        String strictFrame = publish("strict", simm.get(1));
        JsonNode strict = await(() -> find(get("/api/v1/matches?limit=100", VIEWER), strictFrame), "strict match");
        assertEquals("UNKNOWN", strict.get("decision").asText());
        assertEquals(0.99, strict.get("threshold").asDouble(), 1e-9);
        // "Not this person" names whom the face is not (the retrainer's hard negative).
        String strictFace = strict.get("faceId").asText();
        assertEquals(400, send("POST", "/api/v1/feedback", "{\"faceId\":\"" + strictFace
                + "\",\"verdict\":\"NOT_THIS_PERSON\"}", OPERATOR).statusCode());
        assertEquals(201, send("POST", "/api/v1/feedback", "{\"faceId\":\"" + strictFace
                + "\",\"verdict\":\"NOT_THIS_PERSON\",\"identityId\":\"" + simmId + "\"}", OPERATOR).statusCode());
        String normalFrame = publish("door", simm.get(2));
        assertEquals("KNOWN", await(() -> find(get("/api/v1/matches?limit=100", VIEWER), normalFrame), "door match")
                .get("decision").asText());

        JsonNode cameras = json(get("/api/v1/cameras", VIEWER));
        assertTrue(cameras.toString().contains("\"cameraId\":\"strict\""), cameras.toString());
        JsonNode stats = await(() -> {
            JsonNode s = json(get("/api/v1/stats", VIEWER));
            return s.get("minutes").size() > 0 ? s : null;
        }, "statistics");
        assertEquals(21, stats.get("scores").get("edges").size());
        assertEquals("watcher", json(get("/api/v1/me", VIEWER)).get("username").asText());
    }

    // ---- helpers ----

    private static List<Path> photos(String relative) throws Exception {
        try (Stream<Path> s = Files.list(SharedData.require(relative))) {
            return s.sorted().toList();
        }
    }

    private static String publish(String camera, Path photo) throws Exception {
        HttpResponse<String> r = sendBytes("/api/v1/frames?camera=" + camera, Files.readAllBytes(photo));
        assertEquals(202, r.statusCode(), r.body());
        return json(r).get("frameId").asText();
    }

    private static JsonNode find(HttpResponse<String> list, String frameId) {
        for (JsonNode n : json(list)) {
            if (n.get("frameId").asText().equals(frameId)) {
                return n;
            }
        }
        return null;
    }

    private static <T> T await(Supplier<T> probe, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            T t = probe.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + " did not appear within 60 s");
    }

    private static List<Feedback> feedbackFor(String faceId) throws InterruptedException {
        Properties p = new Properties();
        p.putAll(pipeline.adminClientConfig()); // as the broker admin: the test reads and writes any topic
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Feedback> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(TOPICS.feedback().name()));
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    Feedback f = TOPICS.feedback().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (f.getFaceId().equals(faceId)) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    private static HttpRequest.Builder request(String path, String authorization) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", authorization);
    }

    private static HttpResponse<String> get(String path, String authorization) {
        try {
            return HTTP.send(request(path, authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(String method, String path, String json, String authorization)
            throws Exception {
        return HTTP.send(request(path, authorization).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> sendBytes(String path, byte[] body) throws Exception {
        return HTTP.send(request(path, OPERATOR).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

}
