package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import io.facestream.services.matcher.search.HistoryFeed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history index outlives a restart of the service: the faces found before it are found after it, and the
 * restarted feed resumes at the offsets it stored instead of re-reading the topics.
 */
class HistoryRestartIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String OPERATOR = "Basic " + Base64.getEncoder()
            .encodeToString("op:op-password".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path data;

    @Test
    void aRestartedMatcherFindsTheSameFacesWithoutReReadingTheTopics() throws Exception {
        List<Path> photos;
        try (Stream<Path> s = Files.list(SharedData.require("faces-dev/dlib_johns/John_Schneider"))) {
            photos = s.sorted().toList();
        }
        byte[] query = Files.readAllBytes(photos.get(0));
        Set<String> before;
        try (EmbeddedPipeline pipeline = start()) {
            String base = pipeline.baseUrl();
            Set<String> frames = new HashSet<>();
            for (Path photo : photos.subList(1, photos.size())) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create(base + "/api/v1/frames?camera=cam-1"))
                        .header("Authorization", OPERATOR).header("Content-Type", "image/jpeg")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(photo))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, r.statusCode(), r.body());
                frames.add(JSON.readTree(r.body()).get("frameId").asText());
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            do {
                Thread.sleep(500);
                before = hits(base, query);
            } while (!before.containsAll(frames) && System.nanoTime() < deadline);
            assertEquals(frames, before, "every frame of him is found before the restart");
            // Their matches (sighting ids) too, then one more search: the feed has read everything there is.
            while (!matched(base).containsAll(frames) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(matched(base).containsAll(frames), "a match for every frame");
            assertEquals(before, hits(base, query));
        }

        try (EmbeddedPipeline pipeline = start()) {
            HistoryFeed feed = pipeline.context().getBean(HistoryFeed.class);
            Set<String> after = hits(pipeline.baseUrl(), query); // waits for the feed to catch up first
            assertEquals(before, after, "the same frames after the restart");
            assertEquals(0, feed.recordsSinceStart(), "resumed at the stored offsets: nothing was re-read");
            assertEquals(before.size(), feed.size());
        }
    }

    private EmbeddedPipeline start() {
        Map<String, Object> props = new HashMap<>(EmbeddedPipeline.account("op", "op-password", "operator"));
        props.putAll(RunningPipelineTest.EVERY_FRAME_DETECTED);
        return EmbeddedPipeline.start(data, TestModels.dir(), 0, 0, props);
    }

    private static Set<String> matched(String base) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/matches?limit=100"))
                .header("Authorization", OPERATOR).GET().build(), HttpResponse.BodyHandlers.ofString());
        Set<String> frames = new HashSet<>();
        for (JsonNode m : JSON.readTree(r.body())) {
            frames.add(m.get("frameId").asText());
        }
        return frames;
    }

    /** The frames of every face in the history, most like the photo first (minScore −1: all of them). */
    private static Set<String> hits(String base, byte[] photo) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create(base + "/api/v1/search?limit=100&minScore=-1"))
                .header("Authorization", OPERATOR).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Set<String> frames = new HashSet<>();
        for (JsonNode h : JSON.readTree(r.body()).get("items")) {
            frames.add(h.get("frameId").asText());
        }
        return frames;
    }
}
