package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import io.facestream.pipeline.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the API tests: one all-in-one pipeline per test class on any free ports, with an operator, a viewer
 * and a camera account, closed (services before broker) after the class.
 */
abstract class RunningPipelineTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Topics TOPICS = new Topics(4);
    static final String OPERATOR = basic("op", "op-password");
    static final String VIEWER = basic("watcher", "watcher-password");
    static final String CAMERA = basic("cam", "cam-password");

    /**
     * These tests publish bursts of photos (some the same scene re-encoded) and check what each frame yields;
     * a live detector would rightly shed a burst's older frames and gate repeated scenes, which
     * DetectorGatingTest (libs/face-pipeline) checks. Here every frame is detected.
     */
    static final Map<String, Object> EVERY_FRAME_DETECTED = Map.of("facestream.detector.motion-enabled", false,
            "facestream.detector.max-backlog-age", "0s");

    @TempDir
    static Path data;
    static EmbeddedPipeline pipeline;
    static String base;

    @BeforeAll
    static void startPipeline() {
        SharedData.require("faces-dev");
        Map<String, Object> users = new HashMap<>(EmbeddedPipeline.account("op", "op-password", "operator"));
        users.putAll(EmbeddedPipeline.account("watcher", "watcher-password", "viewer"));
        users.putAll(EVERY_FRAME_DETECTED);
        users.putAll(EmbeddedPipeline.account("cam", "cam-password", "camera"));
        // A throttled address waits a minute (default 1 s), so that how fast this machine runs a test's attempts
        // cannot decide whether they are throttled (HttpHardeningTest).
        users.put("facestream.security.login-throttle.initial-backoff", "60s");
        pipeline = EmbeddedPipeline.start(data, TestModels.dir(), 0, 0, users);
        base = pipeline.baseUrl();
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    // ---- the HTTP API as these tests call it ----

    static HttpRequest.Builder request(String path, String authorization) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", authorization);
    }

    static HttpResponse<String> get(String path, String authorization) {
        try {
            return HTTP.send(request(path, authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + path, e);
        }
    }

    static HttpResponse<String> send(String method, String path, String json, String authorization)
            throws Exception {
        return HTTP.send(request(path, authorization).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JPEG body, as the operator. */
    static HttpResponse<String> sendBytes(String path, byte[] body) throws Exception {
        return HTTP.send(request(path, OPERATOR).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) {
        return ApiClient.json(r);
    }

    /** The files of a faces-dev folder, sorted. */
    static List<Path> photos(String relative) throws Exception {
        try (Stream<Path> s = Files.list(SharedData.require(relative))) {
            return s.sorted().toList();
        }
    }

    /** Publishes a photo as a frame of {@code camera} (as the operator); returns its frame id. */
    static String publish(String camera, Path photo) throws Exception {
        HttpResponse<String> r = sendBytes("/api/v1/frames?camera=" + camera, Files.readAllBytes(photo));
        assertEquals(202, r.statusCode(), r.body());
        return json(r).get("frameId").asText();
    }

    /** The entry of a JSON list whose {@code frameId} is this one; null when absent. */
    static JsonNode find(HttpResponse<String> list, String frameId) {
        for (JsonNode n : json(list)) {
            if (n.get("frameId").asText().equals(frameId)) {
                return n;
            }
        }
        return null;
    }
}
