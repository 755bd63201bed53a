package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.inference.testing.SharedData;
import io.facestream.matching.topology.MatchBounds;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The long-name attack on the running pipeline: an attacker with broker access writes five identities with 300 KB
 * names, each with a gallery sample, straight onto {@code identities} and {@code gallery}. Every match then carries
 * them as candidates; before the fix such a match was 1.2 MB and Kafka Streams failed on it in a loop, so no camera
 * was matched until the people were deleted. Now matches on other cameras still arrive within seconds, names cut to
 * 200 characters, {@code /health} stays UP and every consumer lag, the matcher's included, drains to 0.
 */
class PoisonPillPipelineTest extends RunningPipelineTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Test
    void hugeNamesOnTheIdentitiesTopicDoNotStopMatching() throws Exception {
        List<Path> simm = photos("faces-dev/dlib_johns/John_Simm");
        String simmId = json(send("POST", "/api/v1/identities", "{\"name\":\"John Simm\"}", OPERATOR)).get("id")
                .asText();
        HttpResponse<String> enrolled = sendBytes("/api/v1/identities/" + simmId + "/faces",
                Files.readAllBytes(simm.get(0)));
        assertEquals(201, enrolled.statusCode(), enrolled.body());
        String model = json(enrolled).get("modelVersion").asText();

        try (KafkaProducer<String, byte[]> attacker = new KafkaProducer<>(pipeline.kafka().producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            Random random = new Random(7);
            for (int i = 0; i < 5; i++) {
                String id = "attacker-" + i + "-" + UUID.randomUUID();
                Identity identity = Identity.newBuilder().setIdentityId(id).setDisplayName(i + "x".repeat(300_000))
                        .setCreatedAt(Instant.now()).build();
                attacker.send(new ProducerRecord<>(TOPICS.identities().name(), id,
                        TOPICS.identities().encode(identity))).get();
                GallerySample sample = GallerySample.newBuilder().setIdentityId(id).setSampleId("s1")
                        .setVector(randomUnitVector(random, 192)).setModelVersion(model).setEnrolledAt(Instant.now())
                        .build();
                attacker.send(new ProducerRecord<>(TOPICS.gallery().name(), id + "/s1",
                        TOPICS.gallery().encode(sample))).get();
            }
        }
        await(() -> {
            JsonNode people = json(get("/api/v1/identities", VIEWER));
            return people.size() >= 6 ? people : null;
        }, "the attacker's identities in the gallery");

        long sent = System.nanoTime();
        String frameA = publish("door-a", simm.get(1));
        String frameB = publish("door-b", simm.get(2));
        for (String frame : List.of(frameA, frameB)) {
            JsonNode match = await(() -> find(get("/api/v1/matches?limit=100", VIEWER), frame), "match of " + frame);
            assertEquals("KNOWN", match.get("decision").asText(), match.toString());
            assertEquals(simmId, match.get("candidates").get(0).get("identityId").asText());
            assertEquals(5, match.get("candidates").size(), "the attacker's people are candidates too");
            for (JsonNode c : match.get("candidates")) {
                assertTrue(c.get("name").asText().length() <= MatchBounds.MAX_NAME_CHARS, c.get("name").asText()
                        .length() + " chars");
            }
        }
        System.out.printf("matches with five 300 KB names in the gallery arrived %d ms after the frames%n",
                Duration.ofNanos(System.nanoTime() - sent).toMillis());

        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(!health.body().contains("gallery-replica"), "no details for an anonymous probe: " + health.body());
        HttpResponse<String> details = get("/health", VIEWER);
        assertEquals(200, details.statusCode(), details.body());
        for (String component : List.of("stage-detector", "stage-embedder", "stage-retrainer", "matcher-streams",
                "gallery-replica", "recent-matches", "recent-crops", "active-model-mobilefacenet")) {
            assertTrue(details.body().contains("\"" + component), component + " reports to /health: "
                    + details.body());
        }
        Map<String, Double> lags = await(() -> {
            Map<String, Double> l = consumerLags();
            return l.keySet().stream().anyMatch(k -> k.contains("stage=\"matcher\""))
                    && l.values().stream().allMatch(v -> v == 0) ? l : null;
        }, "every consumer lag at 0 once the backlog drained");
        assertTrue(lags.keySet().stream().anyMatch(k -> k.contains("stage=\"detector\"")), lags.toString());
    }

    /** Every facestream_consumer_lag series of /prometheus, labels → value. */
    private static Map<String, Double> consumerLags() {
        Map<String, Double> out = new TreeMap<>();
        for (String line : get("/prometheus", VIEWER).body().split("\n")) {
            if (line.startsWith("facestream_consumer_lag{")) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return out;
    }

    private static List<Float> randomUnitVector(Random random, int dimension) {
        double[] v = new double[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = random.nextGaussian();
            norm += v[i] * v[i];
        }
        List<Float> out = new ArrayList<>(dimension);
        for (double x : v) {
            out.add((float) (x / Math.sqrt(norm)));
        }
        return out;
    }

    private static <T> T await(Supplier<T> probe, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            T t = probe.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + " did not happen within " + WITHIN);
    }
}
