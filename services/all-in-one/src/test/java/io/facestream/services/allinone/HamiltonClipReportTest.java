package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Candidate;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.FrameResult;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Match;
import io.facestream.schema.Sighting;
import io.facestream.schema.SightingState;
import io.facestream.services.ingest.camera.CameraAgent;
import io.facestream.services.ingest.camera.FrameSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faces-dev Hamilton clip (10 s, 275 frames) through the camera agent — the code of {@code ./facestream camera
 * --source short_hamilton_clip.mp4 --fps N} — with lin_manuel_miranda and alex_lacamoire enrolled from all their
 * faces-dev photos. Prints faces, matches and sightings, and each track's aggregates (the numbers behind
 * README, "Tracks and sightings", and the TrackDecision constants) and saves each sighting's best face under
 * {@code target/hamilton-crops}; checks that sightings are at least 10× fewer than faces and that Lin-Manuel
 * Miranda is named. About 2 minutes on 2 cores, so opt-in:
 * {@code mvn -pl services/all-in-one test -Dtest=HamiltonClipReportTest -Dfacestream.hamilton=true
 * [-Dfacestream.hamilton.fps=10]}.
 */
class HamiltonClipReportTest {

    private static final Topics TOPICS = new Topics(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String OPERATOR = "Basic " + Base64.getEncoder()
            .encodeToString("op:op-password".getBytes(StandardCharsets.UTF_8));
    private static final String CAMERA = "hamilton";

    @Test
    void theHamiltonClipGivesTenTimesFewerSightingsThanFacesAndNamesLinManuelMiranda(@TempDir Path data) throws Exception {
        assumeTrue(Boolean.getBoolean("facestream.hamilton"), "opt-in report: -Dfacestream.hamilton=true");
        Path clip = SharedData.require("faces-dev/video/face_recognition/short_hamilton_clip.mp4");
        Path people = SharedData.require("faces-dev/face_recognition");
        double fps = Double.parseDouble(System.getProperty("facestream.hamilton.fps", "10"));
        Map<String, Object> extra = new HashMap<>(EmbeddedPipeline.account("op", "op-password", "operator"));
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(data, TestModels.dir(), 0, 0, extra)) {
            Map<String, String> nameOf = new LinkedHashMap<>();
            for (String person : List.of("lin_manuel_miranda", "alex_lacamoire")) {
                String id = createIdentity(pipeline, person);
                nameOf.put(id, person);
                try (Stream<Path> photos = Files.list(people.resolve(person))) {
                    for (Path photo : photos.sorted().toList()) {
                        HttpResponse<String> r = post(pipeline, "/api/v1/identities/" + id + "/faces",
                                Files.readAllBytes(photo));
                        System.out.printf("hamilton: enrolled %s from %s: %d%n", person, photo.getFileName(),
                                r.statusCode());
                    }
                }
            }
            Set<String> frameIds = new HashSet<>();
            long t0 = System.nanoTime();
            try (FrameSource frames = CameraAgent.open(clip.toString());
                    CameraAgent agent = new CameraAgent(CAMERA, pipeline.kafka(), TOPICS,
                            Clock.systemUTC())) {
                agent.stream(frames, fps, frameIds::add);
            }
            int faces = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            Map<String, FrameResult> results = new HashMap<>();
            while (results.size() < frameIds.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : read(pipeline, TOPICS.frameResults().name())) {
                    FrameResult fr = TOPICS.frameResults().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    results.put(fr.getFrameId(), fr);
                }
                Thread.sleep(1000);
            }
            assertEquals(frameIds.size(), results.size(), "a result per frame");
            faces = results.values().stream().mapToInt(FrameResult::getFaceCount).sum();
            List<Match> matches = List.of();
            List<Sighting> sightings = List.of();
            while (System.nanoTime() < deadline) {
                matches = read(pipeline, TOPICS.matches().name()).stream().map(r -> TOPICS.matches().valueSerde()
                        .deserializer().deserialize(r.topic(), r.value())).toList();
                sightings = read(pipeline, TOPICS.sightings().name()).stream().map(r -> TOPICS.sightings()
                        .valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
                Set<String> open = new HashSet<>();
                for (Sighting s : sightings) {
                    if (s.getState() == SightingState.CLOSED) {
                        open.remove(s.getSightingId());
                    } else {
                        open.add(s.getSightingId());
                    }
                }
                if (matches.size() >= faces && open.isEmpty()) {
                    break;
                }
                Thread.sleep(1000);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            report(frameIds.size(), faces, matches, sightings, nameOf, fps, seconds);
            saveCrops(pipeline, sightings);

            Map<String, Sighting> latest = new TreeMap<>();
            sightings.forEach(s -> latest.put(s.getSightingId(), s));
            assertEquals(faces, matches.size(), "a match per face");
            assertTrue(latest.size() * 10 <= faces, latest.size() + " sightings for " + faces + " faces");
            Set<String> named = latest.values().stream().filter(s -> s.getDecision() == Decision.KNOWN)
                    .map(s -> nameOf.get(s.getIdentityId())).collect(Collectors.toSet());
            // Alex Lacamoire is on screen only as a 26 px face in the dark: his track's aggregate is 0.26, far below
            // any safe threshold (README, "Tracks and sightings"), so only Lin-Manuel Miranda is expected by name.
            assertTrue(named.contains("lin_manuel_miranda"), "Lin-Manuel Miranda is named: " + named);
        }
    }

    private static void report(int frames, int faces, List<Match> matches, List<Sighting> sightings,
            Map<String, String> nameOf, double fps, double seconds) {
        Map<String, Long> knownFaces = matches.stream().filter(m -> m.getDecision() == Decision.KNOWN)
                .collect(Collectors.groupingBy(m -> nameOf.get(m.getCandidates().get(0).getIdentityId()),
                        TreeMap::new, Collectors.counting()));
        Map<String, Sighting> latest = new LinkedHashMap<>();
        sightings.forEach(s -> latest.put(s.getSightingId(), s));
        System.out.printf(Locale.ROOT, "hamilton: fps=%.1f frames=%d faces=%d matches=%d known_matches=%s "
                + "sighting_records=%d sightings=%d known_sightings=%d seconds=%.0f%n", fps, frames, faces,
                matches.size(), knownFaces, sightings.size(), latest.size(),
                latest.values().stream().filter(s -> s.getDecision() == Decision.KNOWN).count(), seconds);
        Map<String, List<Match>> byTrack = matches.stream().collect(Collectors.groupingBy(Match::getTrackId));
        for (Sighting s : latest.values()) {
            List<Match> ms = byTrack.getOrDefault(s.getSightingId(), List.of());
            StringBuilder aggregates = new StringBuilder();
            for (Candidate c : s.getCandidates()) {
                aggregates.append(String.format(Locale.ROOT, " %s=%.3f", nameOf.get(c.getIdentityId()), c.getScore()));
            }
            Map<String, Long> perFaceKnown = ms.stream().filter(m -> m.getDecision() == Decision.KNOWN)
                    .collect(Collectors.groupingBy(m -> nameOf.get(m.getCandidates().get(0).getIdentityId()),
                            TreeMap::new, Collectors.counting()));
            List<Double> top1 = new ArrayList<>();
            ms.forEach(m -> top1.add(m.getCandidates().isEmpty() ? 0 : m.getCandidates().get(0).getScore()));
            System.out.printf(Locale.ROOT, "hamilton: track %s %s faces=%d span_ms=%d decision=%s name=%s "
                    + "margin=%.3f aggregates:%s per_face_known=%s max_top1=%.3f box=[%.0f,%.0f,%.0f,%.0f]%n",
                    s.getSightingId(), s.getState(), s.getFaceCount(),
                    s.getLastSeenAt().toEpochMilli() - s.getFirstSeenAt().toEpochMilli(), s.getDecision(),
                    s.getName(), s.getMargin(), aggregates, perFaceKnown,
                    top1.stream().mapToDouble(Double::doubleValue).max().orElse(0), s.getBestBox().getX1(),
                    s.getBestBox().getY1(), s.getBestBox().getX2(), s.getBestBox().getY2());
        }
    }

    /**
     * The aligned crop of each sighting's best face and of each enrolled sample, under
     * {@code target/hamilton-crops}, to see who each track is.
     */
    private static void saveCrops(EmbeddedPipeline pipeline, List<Sighting> sightings) throws Exception {
        Path dir = Path.of("target/hamilton-crops");
        Files.createDirectories(dir);
        Map<String, String> bestFaces = new HashMap<>();
        sightings.forEach(s -> bestFaces.put(s.getBestFaceId(), s.getSightingId()));
        for (ConsumerRecord<String, byte[]> r : read(pipeline, TOPICS.embeddings().name())) {
            FaceEmbedding e = TOPICS.embeddings().valueSerde().deserializer().deserialize(r.topic(), r.value());
            String sighting = bestFaces.get(e.getFaceId());
            if (sighting != null && e.getAlignedCrop() != null) {
                Files.write(dir.resolve("sighting-" + sighting + ".png"), bytes(e.getAlignedCrop()));
            }
        }
        for (ConsumerRecord<String, byte[]> r : read(pipeline, TOPICS.gallery().name())) {
            GallerySample g = TOPICS.gallery().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (g != null && g.getAlignedCrop() != null) {
                Files.write(dir.resolve("gallery-" + g.getIdentityId() + "-" + g.getSampleId() + ".png"),
                        bytes(g.getAlignedCrop()));
            }
        }
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static List<ConsumerRecord<String, byte[]>> read(EmbeddedPipeline pipeline, String topic) {
        Properties p = new Properties();
        p.putAll(pipeline.adminClientConfig());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (!end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    private static String createIdentity(EmbeddedPipeline pipeline, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.baseUrl() + "/api/v1/identities"))
                .header("Content-Type", "application/json").header("Authorization", OPERATOR)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", name)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static HttpResponse<String> post(EmbeddedPipeline pipeline, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.baseUrl() + path))
                .header("Content-Type", "application/octet-stream").header("Authorization", OPERATOR)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
