package io.facestream.services.allinone;

import static io.facestream.services.allinone.TrackerStandIn.sighting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.inference.testing.SharedData;
import io.facestream.schema.Decision;
import io.facestream.schema.Feedback;
import io.facestream.schema.SightingState;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's API on the running pipeline: review, feedback, cameras, statistics, thumbnails, roles, and
 * sightings (written here onto the real topics until the tracker writes them).
 */
class DashboardApiTest extends RunningPipelineTest {

    @Test
    void theMatchersControllersServeTheListsAndIdentitiesHereNotTheDashboardsStandIns() {
        // one owner per route: the dashboard's stand-ins exist only where the matcher is not in the JVM
        var ctx = pipeline.context();
        assertTrue(ctx.findBean(io.facestream.services.matcher.http.MatchesController.class).isPresent());
        assertTrue(ctx.findBean(io.facestream.services.matcher.http.IdentitiesController.class).isPresent());
        assertTrue(ctx.findBean(io.facestream.services.dashboard.feeds.FeedsController.class).isEmpty());
        assertTrue(ctx.findBean(io.facestream.services.dashboard.identities.IdentitiesController.class).isEmpty());
    }

    @Test
    void anUnknownFaceIsQueuedLabelledOnceAndCamerasAndStatsFollow() throws Exception {
        List<Path> simm = photos("faces-dev/dlib_johns/John_Simm");
        String simmId = json(send("POST", "/api/v1/identities", "{\"name\":\"John Simm\"}", OPERATOR)).get("id").asText();
        assertEquals(201, sendBytes("/api/v1/identities/" + simmId + "/faces", Files.readAllBytes(simm.get(0))).statusCode());

        // A stranger's face is a sighting nobody was recognised in: it lands in the review queue with a thumbnail.
        String stranger = publish("door", photos("faces-dev/human_samples/stock_emotions_a").get(0));
        JsonNode item = await(() -> sightingOf(get("/api/v1/review/sightings?limit=50", VIEWER), stranger),
                "review item");
        assertEquals("UNKNOWN", item.get("reason").asText());
        String faceId = item.get("bestFaceId").asText();
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
        assertTrue(sightingOf(get("/api/v1/review/sightings?limit=50", VIEWER), stranger) == null,
                "a sighting whose faces are labelled leaves the queue");

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

    @Test
    void sightingsAreListedNewestFirstReplacedInPlaceAndLabelledOncePerFace() throws Exception {
        // Subscribed first, so it hears every state written below.
        CompletableFuture<HttpResponse<Stream<String>>> events = HTTP.sendAsync(request("/api/v1/sightings/stream",
                VIEWER).header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        // Real faces through the real pipeline (so the dashboard has their crops and embeddings) ...
        List<Path> visitor = photos("faces-dev/human_samples/stock_emotions_b");
        String frameA = publish("door-s", visitor.get(0));
        String frameB = publish("door-s", visitor.get(1));
        List<JsonNode> faces = new ArrayList<>(await(() -> matchesOf(frameA), "match of frame A"));
        faces.addAll(await(() -> matchesOf(frameB), "match of frame B"));
        // ... grouped into one more track, on a camera of its own so that the real tracker's sightings of these
        // frames (on door-s) do not mix in: the same matches again, carrying this track's id.
        String visit = "visit-" + UUID.randomUUID();
        String other = "visit-" + UUID.randomUUID();
        List<String> faceIds = new ArrayList<>();
        try (TrackerStandIn tracker = new TrackerStandIn(pipeline.adminClientConfig(), TOPICS)) {
            for (JsonNode m : faces) {
                faceIds.add(m.get("faceId").asText());
                tracker.track(m, visit);
            }
            String best = faceIds.get(0);
            tracker.write(sighting(visit, "visit-door", 10, 10, best, frameA).setFaceCount(1).build());
            tracker.write(sighting(other, "hall-s", 20, 20, "f", "fr").setDecision(Decision.KNOWN)
                    .setIdentityId("p").setName("Pat").setMargin(0.3).build());
            // The visit goes on after the other one: a newer state replaces its first one.
            tracker.write(sighting(visit, "visit-door", 30, 31, best, frameA).setFaceCount(faceIds.size())
                    .setState(SightingState.CLOSED).build());
        }
        JsonNode items = await(() -> {
            JsonNode page = json(get("/api/v1/sightings?limit=1000", VIEWER)).get("items");
            JsonNode v = byId(page, visit);
            return v != null && v.get("state").asText().equals("CLOSED") && byId(page, other) != null ? page : null;
        }, "both sightings, the visit closed");
        List<String> order = new ArrayList<>();
        items.forEach(n -> order.add(n.get("sightingId").asText()));
        assertEquals(1, order.stream().filter(visit::equals).count(), "one entry per sighting: " + order);
        assertTrue(order.indexOf(visit) < order.indexOf(other), "newest (latest face) first: " + order);
        JsonNode v = byId(items, visit);
        assertEquals(faceIds.size(), v.get("faceCount").asInt());
        assertEquals(20_000, v.get("durationMs").asLong());
        assertEquals("/api/v1/faces/" + faceIds.get(0) + "/crop.png", v.get("thumbnailUrl").asText());
        // The snapshot: the best face's frame, read back from the frames topic as the camera sent it.
        HttpResponse<byte[]> frame = HTTP.send(request(v.get("frameUrl").asText(), VIEWER).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, frame.statusCode());
        assertEquals(List.of((byte) 0xFF, (byte) 0xD8), List.of(frame.body()[0], frame.body()[1]), "the JPEG as sent");
        assertTrue(frame.headers().firstValue("Content-Type").orElse("").startsWith("image/jpeg"),
                frame.headers().toString());
        assertEquals(404, HTTP.send(request("/api/v1/frames/nope/image", VIEWER).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        assertTrue(json(get("/api/v1/matches?limit=200", VIEWER)).toString().contains("\"trackId\":\"" + visit + "\""),
                "raw matches name their sighting");

        // Every new state went out on the stream, the closing one too.
        String closedState = visit + "@" + TrackerStandIn.T0.plusSeconds(31).toEpochMilli();
        try (Stream<String> lines = events.get(20, TimeUnit.SECONDS).body()) {
            List<String> heard = CompletableFuture.supplyAsync(() -> lines.map(String::strip)
                    .filter(l -> l.startsWith("id:") || l.startsWith("event:"))
                    .takeWhile(l -> !l.equals("id:" + closedState) && !l.equals("id: " + closedState)).toList())
                    .get(20, TimeUnit.SECONDS);
            assertTrue(heard.stream().anyMatch(l -> l.replace(" ", "").equals("event:sighting")), heard.toString());
            assertTrue(heard.stream().anyMatch(l -> l.replace(" ", "").startsWith("id:" + visit + "@")),
                    "the visit's first state came before its closing one: " + heard);
        }

        // Filters, one sighting by id, its faces.
        assertEquals(List.of(visit), ids(json(get("/api/v1/sightings?camera=visit-door", VIEWER))));
        assertEquals(List.of(other), ids(json(get("/api/v1/sightings?camera=hall-s&decision=KNOWN", VIEWER))));
        assertEquals(List.of(), ids(json(get("/api/v1/sightings?camera=visit-door&decision=KNOWN", VIEWER))));
        assertEquals("CLOSED", json(get("/api/v1/sightings/" + visit, VIEWER)).get("state").asText());
        assertEquals(404, get("/api/v1/sightings/nope", VIEWER).statusCode());
        List<String> listed = new ArrayList<>();
        json(get("/api/v1/sightings/" + visit + "/faces", VIEWER)).get("items")
                .forEach(f -> listed.add(f.get("faceId").asText()));
        assertEquals(faceIds, listed);
        for (String bad : List.of("limit=0", "limit=1001", "limit=ten", "decision=MAYBE")) {
            HttpResponse<String> refused = get("/api/v1/sightings?" + bad, VIEWER);
            assertEquals(400, refused.statusCode(), bad);
            assertTrue(json(refused).get("error").asText().contains(bad.substring(0, bad.indexOf('='))), refused.body());
        }
        assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sightings")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        // The unknown visit is queued; the clear KNOWN one is not; its faces are not queued one by one.
        JsonNode queued = byId(json(get("/api/v1/review/sightings?limit=100", VIEWER)), visit);
        assertTrue(queued != null, "the UNKNOWN sighting is in the review queue");
        assertEquals("UNKNOWN", queued.get("reason").asText());
        assertEquals(faceIds.size(), queued.get("facesKept").asInt());
        assertTrue(byId(json(get("/api/v1/review/sightings?limit=100", VIEWER)), other) == null);
        assertTrue(find(get("/api/v1/review?limit=100", VIEWER), frameA) == null, "a tracked face is reviewed with its sighting");

        // Labelling the visit labels each of its faces once, and again writes nothing.
        String path = "/api/v1/sightings/" + visit + "/feedback";
        String label = "{\"verdict\":\"NEW_IDENTITY\",\"name\":\"Visitor " + visit + "\"}";
        assertEquals(403, send("POST", path, label, VIEWER).statusCode());
        assertEquals(400, send("POST", path, "{\"verdict\":\"MAYBE\"}", OPERATOR).statusCode());
        assertEquals(404, send("POST", "/api/v1/sightings/nope/feedback", label, OPERATOR).statusCode());
        HttpResponse<String> first = send("POST", path, label, OPERATOR);
        assertEquals(201, first.statusCode(), first.body());
        HttpResponse<String> again = send("POST", path, label, OPERATOR);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(json(first).get("feedback"), json(again).get("feedback"), "the same records, not new ones");
        String identity = json(first).get("identityId").asText();
        assertEquals(faceIds.size(), json(first).get("feedback").size());
        for (String faceId : faceIds) {
            List<Feedback> written = feedbackFor(faceId);
            assertEquals(1, written.size(), "one feedback record for face " + faceId + ": " + written);
            assertEquals(identity, written.get(0).getIdentityId(), "one new identity for the whole sighting");
        }
        assertTrue(byId(json(get("/api/v1/review/sightings?limit=100", VIEWER)), visit) == null,
                "a labelled sighting leaves the queue");
    }

    // ---- helpers ----

    private static List<JsonNode> matchesOf(String frameId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : json(get("/api/v1/matches?limit=200", VIEWER))) {
            if (n.get("frameId").asText().equals(frameId)) {
                out.add(n);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static JsonNode byId(JsonNode list, String sightingId) {
        for (JsonNode n : list) {
            if (n.get("sightingId").asText().equals(sightingId)) {
                return n;
            }
        }
        return null;
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(n -> out.add(n.get("sightingId").asText()));
        return out;
    }

    /** The sighting whose best face is of this frame, in a list of sightings; null when absent. */
    private static JsonNode sightingOf(HttpResponse<String> list, String frameId) {
        JsonNode page = json(list);
        for (JsonNode n : page.has("items") ? page.get("items") : page) {
            if (n.get("bestFrameId").asText().equals(frameId)) {
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

}
