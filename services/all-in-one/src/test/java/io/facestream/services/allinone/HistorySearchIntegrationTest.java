package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Search over history, end to end: a person streamed on two cameras while nobody is enrolled (UNKNOWN), enrolled
 * afterwards, is found by {@code POST /api/v1/search} at the frames, cameras and times they were seen — by photo
 * and by identity — and is gone from the search and the gallery once erased, while another person stays.
 */
class HistorySearchIntegrationTest extends RunningPipelineTest {

    /** A frame as published: where, and the interval its capture time must lie in. */
    record Published(String frameId, String camera, Instant notBefore, Instant notAfter) {
    }

    @Test
    void aPersonSeenAsUnknownIsFoundAfterEnrollmentAndGoneAfterErasure() throws Exception {
        List<Path> savage = photos("faces-dev/dlib_johns/John_Savage");
        List<Path> salley = photos("faces-dev/dlib_johns/John_Salley");
        Map<String, Published> seen = new HashMap<>(); // frame id → where and when, John Savage
        for (int i = 2; i < savage.size(); i++) {
            Published p = publishTimed(i % 2 == 0 ? "cam-north" : "cam-south", savage.get(i));
            seen.put(p.frameId(), p);
        }
        Set<String> others = new HashSet<>();
        for (Path photo : salley.subList(0, 4)) {
            others.add(publishTimed("cam-east", photo).frameId());
        }
        Set<String> all = new HashSet<>(seen.keySet());
        all.addAll(others);
        Map<String, JsonNode> matches = awaitMatches(all, Duration.ofMinutes(3));
        for (String frame : seen.keySet()) {
            assertEquals("UNKNOWN", matches.get(frame).get("decision").asText(), "nobody is enrolled yet");
        }

        String id = json(send("POST", "/api/v1/identities", "{\"name\":\"John Savage\"}", OPERATOR)).get("id").asText();
        for (Path photo : savage.subList(0, 2)) {
            HttpResponse<String> r = sendBytes("/api/v1/identities/" + id + "/faces", Files.readAllBytes(photo));
            assertEquals(201, r.statusCode(), r.body());
        }

        // By photo (an enrollment photo, as a viewer): the person's frames, on both cameras, at their times.
        byte[] query = Files.readAllBytes(savage.get(0));
        JsonNode byPhoto = json(search("", query, "image/jpeg", VIEWER, 200));
        Set<String> found = checkHits(byPhoto, seen);
        assertTrue(found.size() >= 0.75 * seen.size(), "found " + found.size() + " of " + seen.size() + " frames");
        assertTrue(byPhoto.get("queryModels").get(0).asText().startsWith("mobilefacenet-"));
        assertTrue(byPhoto.get("windows").size() >= 1, byPhoto.toString());

        // By identity: the gallery samples as queries find at least as much.
        JsonNode byId = json(search("", ("{\"identityId\":\"" + id + "\"}").getBytes(), "application/json", VIEWER,
                200));
        Set<String> foundById = checkHits(byId, seen);
        System.out.printf("search: %d frames of the person; found by photo %d, by identity %d%n", seen.size(),
                found.size(), foundById.size());
        assertTrue(foundById.containsAll(found), "by identity " + foundById + ", by photo " + found);

        // Filters: one camera, a time range, a minimum score, a limit.
        JsonNode north = json(search("?camera=cam-north", query, "image/jpeg", VIEWER, 200));
        assertFalse(north.get("items").isEmpty());
        north.get("items").forEach(h -> assertEquals("cam-north", h.get("cameraId").asText()));
        Published last = seen.values().stream().max((a, b) -> a.notBefore().compareTo(b.notBefore())).orElseThrow();
        JsonNode recent = json(search("?from=" + last.notBefore(), query, "image/jpeg", VIEWER, 200));
        recent.get("items").forEach(h -> assertFalse(Instant.parse(h.get("capturedAt").asText())
                .isBefore(last.notBefore())));
        JsonNode one = json(search("?limit=1", query, "image/jpeg", VIEWER, 200));
        assertEquals(1, one.get("items").size());
        assertEquals(byPhoto.get("items").get(0).get("faceId"), one.get("items").get(0).get("faceId"));
        json(search("?minScore=0.99", query, "image/jpeg", VIEWER, 200)).get("items")
                .forEach(h -> assertTrue(h.get("score").asDouble() >= 0.99));
        for (String bad : List.of("?limit=0", "?limit=100000", "?minScore=2", "?minScore=x", "?from=yesterday",
                "?camera=a%20b", "?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z")) {
            HttpResponse<String> r = search(bad, query, "image/jpeg", VIEWER, 400);
            assertTrue(json(r).get("error").asText().length() > 5, bad + ": " + r.body());
        }
        search("", "{\"identityId\":\"nobody\"}".getBytes(), "application/json", VIEWER, 404);
        search("", "not json".getBytes(), "application/json", VIEWER, 400);
        search("", query, "text/plain", VIEWER, 415);
        search("", query, "image/jpeg", CAMERA, 403);

        // Someone else is found by their own photo, before and after the erasure.
        byte[] otherQuery = Files.readAllBytes(salley.get(5));
        Set<String> othersFound = frames(json(search("", otherQuery, "image/jpeg", VIEWER, 200)));
        assertFalse(othersFound.isEmpty());
        assertTrue(others.containsAll(othersFound), "only John Salley's frames: " + othersFound);

        HttpResponse<String> erased = send("DELETE", "/api/v1/identities/" + id, "", OPERATOR);
        assertEquals(204, erased.statusCode(), erased.body());

        Set<String> afterByPhoto = frames(json(search("", query, "image/jpeg", VIEWER, 200)));
        afterByPhoto.retainAll(seen.keySet());
        assertEquals(Set.of(), afterByPhoto, "erased from the history");
        // Even the faces below the search threshold that were in one of their sightings, or matched to them.
        Set<String> anyScore = frames(json(search("?minScore=-1&limit=500", query, "image/jpeg", VIEWER, 200)));
        anyScore.retainAll(found);
        assertEquals(Set.of(), anyScore);
        search("", ("{\"identityId\":\"" + id + "\"}").getBytes(), "application/json", VIEWER, 404);
        assertEquals(404, get("/api/v1/identities/" + id, VIEWER).statusCode(), "erased from the gallery");
        assertEquals(othersFound, frames(json(search("", otherQuery, "image/jpeg", VIEWER, 200))),
                "someone else stays");
    }

    /** Every hit is one of the person's frames, at its camera and within its publication interval. */
    private static Set<String> checkHits(JsonNode page, Map<String, Published> seen) {
        Set<String> frames = new HashSet<>();
        Set<String> cameras = new HashSet<>();
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode h : page.get("items")) {
            Published p = seen.get(h.get("frameId").asText());
            assertTrue(p != null, "a hit that is not John Savage: " + h);
            assertEquals(p.camera(), h.get("cameraId").asText());
            Instant at = Instant.parse(h.get("capturedAt").asText());
            assertFalse(at.isBefore(p.notBefore()) || at.isAfter(p.notAfter()), h + " vs " + p);
            double score = h.get("score").asDouble();
            assertTrue(score >= 0.5 && score <= previous + 1e-9, "best first, above the default minimum: " + h);
            previous = score;
            assertEquals("/api/v1/faces/" + h.get("faceId").asText() + "/crop.png", h.get("cropUrl").asText());
            frames.add(p.frameId());
            cameras.add(p.camera());
        }
        assertEquals(Set.of("cam-north", "cam-south"), cameras, page.toString());
        return frames;
    }

    private static Set<String> frames(JsonNode page) {
        Set<String> out = new HashSet<>();
        page.get("items").forEach(h -> out.add(h.get("frameId").asText()));
        return out;
    }

    private static HttpResponse<String> search(String params, byte[] body, String type, String authorization,
            int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(request("/api/v1/search" + params, authorization)
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), params + ": " + r.body());
        return r;
    }

    private static Published publishTimed(String camera, Path photo) throws Exception {
        Instant before = Instant.now();
        String frameId = publish(camera, photo);
        return new Published(frameId, camera, before.minusMillis(1), Instant.now().plusMillis(1));
    }

    /** The matches of these frames (one face each) from the matches API, once all have one. */
    private static Map<String, JsonNode> awaitMatches(Set<String> frames, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, JsonNode> out = new HashMap<>();
        while (out.size() < frames.size()) {
            for (JsonNode m : json(get("/api/v1/matches?limit=500", VIEWER))) {
                if (frames.contains(m.get("frameId").asText())) {
                    out.put(m.get("frameId").asText(), m);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("matches of " + out.size() + " of " + frames.size() + " frames");
            }
            Thread.sleep(500);
        }
        return out;
    }
}
