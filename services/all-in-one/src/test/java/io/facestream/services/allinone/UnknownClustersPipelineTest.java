package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.schema.Feedback;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * "Who is this?" on the running pipeline (README, "Unknown clusters"): three faces-dev people nobody enrolled,
 * streamed on two cameras, form one cluster each that mixes no one; naming one cluster enrolls that person,
 * so their next frame is KNOWN; erasing them takes the cluster's faces away.
 */
class UnknownClustersPipelineTest extends RunningPipelineTest {

    private static final List<String> PEOPLE = List.of("John_Salley", "John_Savage", "John_Schneider");
    /** Photos of each person streamed as a stranger; the next one is held back for "the next frame". */
    private static final int STREAMED = 8;

    @Test
    void strangersFormOneClusterEachNamingOneEnrollsThemAndErasureRemovesTheirFaces() throws Exception {
        Map<String, List<Path>> photos = new LinkedHashMap<>();
        for (String person : PEOPLE) {
            photos.put(person, photos("faces-dev/dlib_johns/" + person));
        }
        Map<String, String> personOfFrame = new HashMap<>();
        for (int i = 0; i < STREAMED; i++) {
            for (String person : PEOPLE) {
                personOfFrame.put(publish(i % 2 == 0 ? "lobby" : "gate", photos.get(person).get(i)), person);
            }
        }
        Map<String, String> personOfFace = await(() -> facesOf(personOfFrame), Duration.ofSeconds(180),
                "every streamed frame's match");
        assertEquals(Set.of("UNKNOWN"), Set.copyOf(decisions(personOfFrame.keySet())), "nobody is enrolled yet");

        // Every person with at least min-faces faces found gets one cluster, of their faces only.
        Map<String, JsonNode> clusterOf = await(() -> {
            Map<String, JsonNode> found = clustersByPerson(personOfFace);
            return found != null && found.size() == PEOPLE.size() ? found : null;
        }, Duration.ofSeconds(60), "a cluster per person");
        JsonNode all = json(get("/api/v1/clusters?limit=100", VIEWER)).get("items");
        assertEquals(PEOPLE.size(), all.size(), "one cluster per person, none split: " + all);
        for (JsonNode k : all) {
            assertTrue(k.get("size").asInt() >= 3, k.toString());
            assertEquals(Set.of("gate", "lobby"), strings(k.get("cameras")), k.toString());
            assertTrue(k.get("cropUrls").size() > 0, k.toString());
        }
        assertTrue(all.get(0).get("size").asInt() >= all.get(all.size() - 1).get("size").asInt(), "largest first");
        HttpResponse<byte[]> crop = HTTP.send(request(all.get(0).get("cropUrls").get(0).asText(), VIEWER).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, crop.statusCode());
        assertEquals((byte) 0x89, crop.body()[0], "a PNG");
        assertEquals(400, get("/api/v1/clusters?limit=0", VIEWER).statusCode());
        assertEquals(400, get("/api/v1/clusters?limit=lots", VIEWER).statusCode());
        assertEquals(401, HTTP.send(request("/api/v1/clusters", "Basic eDp5").GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        // Naming: viewers may not; a bad body is refused; the first request writes, the same again writes nothing.
        JsonNode salley = clusterOf.get("John_Salley");
        String path = "/api/v1/clusters/" + salley.get("clusterId").asText() + "/name";
        assertEquals(403, send("POST", path, "{\"name\":\"John Salley\"}", VIEWER).statusCode());
        assertEquals(400, send("POST", path, "{}", OPERATOR).statusCode());
        assertEquals(400, send("POST", path, "{\"name\":\"a\",\"identityId\":\"b\"}", OPERATOR).statusCode());
        assertEquals(404, send("POST", "/api/v1/clusters/u-none/name", "{\"name\":\"x\"}", OPERATOR).statusCode());
        HttpResponse<String> named = send("POST", path, "{\"name\":\"John Salley\"}", OPERATOR);
        assertEquals(201, named.statusCode(), named.body());
        HttpResponse<String> again = send("POST", path, "{\"name\":\"John Salley\"}", OPERATOR);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(json(named).get("feedback"), json(again).get("feedback"));
        String identityId = json(named).get("identityId").asText();
        assertTrue(json(named).get("gallerySamples").asInt() >= 1, named.body());
        Set<String> salleyFaces = strings(salley.get("faceIds"));
        Map<String, Integer> feedbackPerFace = feedbackCounts(salleyFaces);
        assertEquals(salleyFaces, feedbackPerFace.keySet(), "a feedback record for every face of the cluster");
        assertEquals(Set.of(1), Set.copyOf(feedbackPerFace.values()), "and only one each");
        assertEquals(identityId, json(get("/api/v1/clusters/" + salley.get("clusterId").asText(), VIEWER))
                .get("identityId").asText());

        // The next frame of that person is KNOWN, as them; the others are still strangers.
        String next = publish("lobby", photos.get("John_Salley").get(STREAMED));
        JsonNode match = await(() -> matchOf(next), Duration.ofSeconds(60), "the next frame's match");
        assertEquals("KNOWN", match.get("decision").asText(), match.toString());
        assertEquals(identityId, match.get("candidates").get(0).get("identityId").asText());
        String stranger = publish("lobby", photos.get("John_Savage").get(STREAMED));
        assertEquals("UNKNOWN", await(() -> matchOf(stranger), Duration.ofSeconds(60), "a stranger's match")
                .get("decision").asText());

        // Erasure: the person, and with them every face of the cluster named to them, is gone.
        assertEquals(204, send("DELETE", "/api/v1/identities/" + identityId, "", OPERATOR).statusCode());
        await(() -> {
            Set<String> listed = new HashSet<>();
            json(get("/api/v1/clusters?limit=100", VIEWER)).get("items")
                    .forEach(k -> listed.addAll(strings(k.get("faceIds"))));
            return listed.stream().noneMatch(salleyFaces::contains) ? Boolean.TRUE : null;
        }, Duration.ofSeconds(30), "the erased person's cluster faces to go");
        assertEquals(404, get("/api/v1/clusters/" + salley.get("clusterId").asText(), VIEWER).statusCode());
        assertEquals(PEOPLE.size() - 1, json(get("/api/v1/clusters?limit=100", VIEWER)).get("items").size());
    }

    /** Face id → person of every streamed frame's face, or null while a frame has no match yet. */
    private static Map<String, String> facesOf(Map<String, String> personOfFrame) {
        Map<String, String> out = new HashMap<>();
        Set<String> matched = new HashSet<>();
        for (JsonNode m : json(get("/api/v1/matches?limit=500", VIEWER))) {
            String person = personOfFrame.get(m.get("frameId").asText());
            if (person != null) {
                out.put(m.get("faceId").asText(), person);
                matched.add(m.get("frameId").asText());
            }
        }
        // a chip where the detector finds no face yields no match: wait only for most frames
        return matched.size() >= personOfFrame.size() * 3 / 4 && settled(personOfFrame.size(), matched.size())
                ? out : null;
    }

    private static int lastMatched = -1;
    private static long lastChange;

    /** True once the number of matched frames has not moved for 10 s (or every frame matched). */
    private static boolean settled(int frames, int matched) {
        if (matched == frames) {
            return true;
        }
        if (matched != lastMatched) {
            lastMatched = matched;
            lastChange = System.nanoTime();
            return false;
        }
        return System.nanoTime() - lastChange > Duration.ofSeconds(10).toNanos();
    }

    private static List<String> decisions(Set<String> frames) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : json(get("/api/v1/matches?limit=500", VIEWER))) {
            if (frames.contains(m.get("frameId").asText())) {
                out.add(m.get("decision").asText());
            }
        }
        return out;
    }

    /**
     * Person → their cluster; fails when a cluster mixes two people or a person has two clusters; null while
     * some clustered face is not known to the test yet.
     */
    private static Map<String, JsonNode> clustersByPerson(Map<String, String> personOfFace) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode k : json(get("/api/v1/clusters?limit=100", VIEWER)).get("items")) {
            Set<String> people = new HashSet<>();
            for (JsonNode f : k.get("faceIds")) {
                String person = personOfFace.get(f.asText());
                if (person == null) {
                    return null;
                }
                people.add(person);
            }
            assertEquals(1, people.size(), "a cluster mixes people: " + people + " in " + k);
            JsonNode earlier = out.put(people.iterator().next(), k);
            assertTrue(earlier == null, people + " has two clusters: " + earlier + " and " + k);
        }
        return out;
    }

    private static JsonNode matchOf(String frameId) {
        for (JsonNode m : json(get("/api/v1/matches?limit=500", VIEWER))) {
            if (m.get("frameId").asText().equals(frameId)) {
                return m;
            }
        }
        return null;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Feedback records per face, of these faces, on the feedback topic. */
    private static Map<String, Integer> feedbackCounts(Set<String> faceIds) {
        Properties p = new Properties();
        p.putAll(pipeline.adminClientConfig()); // as the broker admin: the test reads any topic
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Integer> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(TOPICS.feedback().name()));
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    Feedback f = TOPICS.feedback().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (faceIds.contains(f.getFaceId())) {
                        out.merge(f.getFaceId(), 1, Integer::sum);
                    }
                }
            }
        }
        return out;
    }

    private static <T> T await(Supplier<T> probe, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            T t = probe.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(what + " did not appear within " + within);
    }
}
