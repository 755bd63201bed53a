package io.facestream.services.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.access.AccessPolicy;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.BoundingBox;
import io.facestream.schema.CameraSetting;
import io.facestream.schema.Candidate;
import io.facestream.schema.Decision;
import io.facestream.schema.Match;
import io.facestream.schema.Sighting;
import io.facestream.schema.SightingState;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Feedback;
import io.facestream.schema.Verdict;
import io.facestream.services.common.security.PasswordHash;
import io.facestream.services.dashboard.matcher.MatcherClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard service on its own: its Micronaut context alone (no matcher, detector or embedder module is on
 * this classpath), a real in-process broker secured as in a deployment (SCRAM, the {@code facestream-dashboard}
 * login with exactly {@link AccessPolicy}'s ACLs), its own accounts, and the matcher's gallery API answered by a
 * small local HTTP server that records what the dashboard asked (the real matcher over HTTP is covered by the
 * all-in-one's tests, which take the same client over loopback). Camera settings go to the {@code cameras} topic
 * and survive a restart of the dashboard; a label writes {@code feedback} with the operator's name and asks the
 * matcher, as the service account, for the gallery writes; a matcher that is down is a 502.
 */
class StandaloneDashboardTest {

    private static final Topics TOPICS = new Topics(2);
    private static final String OPERATOR = "op";
    private static final String OPERATOR_PASSWORD = "op-password-123";
    private static final String SERVICE_PASSWORD = "service-password-456";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static java.nio.file.Path dir;
    private static EmbeddedKafka kafka;
    private static HttpServer matcher;
    private static final List<String> matcherCalls = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        try {
            Class.forName("io.facestream.services.matcher.Application");
            throw new AssertionError("the matcher service is on the dashboard's classpath");
        } catch (ClassNotFoundException expected) {
            // the dashboard service depends on no other service
        }
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults().withLogDir(dir.resolve("kafka"))).start();
        try (Admin admin = Admin.create(kafka.adminClientConfig())) {
            TopicCreator.createAll(admin, TOPICS.specs(), Duration.ofSeconds(30));
        }
        AccessPolicy policy = new AccessPolicy(TOPICS);
        kafka.logins(Arrays.stream(ServicePrincipal.values()).map(ServicePrincipal::username).toList());
        kafka.grant(policy.bindings(), policy.principals());

        matcher = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        matcher.createContext("/api/v1/identities", StandaloneDashboardTest::matcherAnswer);
        matcher.start();
    }

    @AfterAll
    static void stop() {
        if (matcher != null) {
            matcher.stop(0);
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The matcher's identities API as far as the dashboard uses it: "known" exists, a created person too. */
    private static void matcherAnswer(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString(("dashboard-service:" + SERVICE_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        String path = ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        matcherCalls.add(ex.getRequestMethod() + " " + path + " as=" + (expected.equals(auth) ? "service" : auth)
                + " for=" + ex.getRequestHeaders().getFirst(MatcherClient.OPERATOR_HEADER) + " " + body);
        int status;
        String answer;
        if (!expected.equals(auth)) {
            status = 401;
            answer = "";
        } else if (ex.getRequestMethod().equals("GET") && path.equals("/api/v1/identities")) {
            status = 200;
            answer = "[{\"id\":\"known\",\"name\":\"Kim\",\"samples\":2}]";
        } else if (ex.getRequestMethod().equals("DELETE")) {
            status = path.endsWith("/created-1") ? 204 : 404;
            answer = status == 204 ? "" : "{\"error\":\"no identity\"}";
        } else if (path.endsWith("/faces")) {
            // the photo as the dashboard forwarded it: its type, and bytes the matcher cannot find a face in
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            boolean face = "image/jpeg".equals(type) && body.equals("face-photo");
            status = face ? 201 : 422;
            answer = face ? "{\"identityId\":\"created-1\",\"sampleId\":\"s-9\",\"modelVersion\":\"m1\"}"
                    : "{\"error\":\"no face found in the photo\"}";
        } else if (ex.getRequestMethod().equals("GET")) {
            boolean known = path.endsWith("/known") || path.endsWith("/created-1");
            status = known ? 200 : 404;
            answer = known ? "{\"id\":\"x\",\"name\":\"x\",\"samples\":1}" : "{\"error\":\"no identity\"}";
        } else if (path.equals("/api/v1/identities")) {
            status = 201;
            answer = "{\"id\":\"created-1\"}";
        } else {
            status = 201;
            answer = "{\"identityId\":\"x\",\"sampleId\":\"s\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private static ApplicationContext dashboard(String matcherUrl) {
        Map<String, Object> props = new HashMap<>();
        props.put("facestream.bootstrap-servers", kafka.bootstrapServers());
        props.put("facestream.kafka.security-protocol", EmbeddedKafka.SECURITY_PROTOCOL);
        props.put("facestream.kafka.credentials-file", kafka.credentialsFile().toString());
        props.put("facestream.partitions", TOPICS.partitions());
        props.put("micronaut.server.port", -1);
        props.put("micronaut.security.token.jwt.signatures.secret.generator.secret",
                PasswordHash.randomPassword() + PasswordHash.randomPassword());
        props.put("facestream.security.users." + OPERATOR + ".password-hash", PasswordHash.hash(OPERATOR_PASSWORD));
        props.put("facestream.security.users." + OPERATOR + ".roles", List.of("operator"));
        props.put("facestream.dashboard.matcher.base-url", matcherUrl);
        props.put("facestream.dashboard.matcher.username", "dashboard-service");
        props.put("facestream.dashboard.matcher.password", SERVICE_PASSWORD);
        props.put("facestream.dashboard.matcher.request-timeout", "5s");
        ApplicationContext context = ApplicationContext.builder().properties(props).start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        if (!server.isRunning()) {
            server.start();
        }
        return context;
    }

    private static String matcherUrl() {
        return "http://127.0.0.1:" + matcher.getAddress().getPort();
    }

    private static HttpResponse<String> send(ApplicationContext ctx, String method, String path, String json)
            throws Exception {
        return send(ctx, method, path, json == null ? null : "application/json", json, OPERATOR_PASSWORD);
    }

    private static HttpResponse<String> send(ApplicationContext ctx, String method, String path, String type,
            String body, String password) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + ctx.getBean(EmbeddedServer.class).getPort() + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((OPERATOR + ":" + password).getBytes(StandardCharsets.UTF_8)));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> T await(Supplier<T> probe, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            T t = probe.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static <V> List<V> readAll(String topic, java.util.function.Function<byte[], V> decode) {
        Map<String, Object> config = new HashMap<>(kafka.adminClientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        out.add(decode.apply(r.value()));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void runsAloneOnTheTopicsAndTheMatchersApi() throws Exception {
        try (ApplicationContext first = dashboard(matcherUrl())) {
            // Camera settings: validated, written to the compacted topic.
            HttpResponse<String> bad = send(first, "PUT", "/api/v1/cameras/door", "{\"threshold\":1.5}");
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("[0, 1]"), bad.body());
            assertEquals(400, send(first, "PUT", "/api/v1/cameras/door", "{}").statusCode());
            HttpResponse<String> ok = send(first, "PUT", "/api/v1/cameras/door", "{\"threshold\":0.7}");
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(ok.body().contains("\"threshold\":0.7"), ok.body());
            List<CameraSetting> written = readAll(TOPICS.cameras().name(),
                    b -> TOPICS.cameras().valueSerde().deserializer().deserialize(TOPICS.cameras().name(), b));
            assertEquals(1, written.size());
            assertEquals(0.7, written.get(0).getThreshold(), 1e-12);
            assertEquals(OPERATOR, written.get(0).getUpdatedBy());

            // A face on `embeddings`, labelled: feedback with the operator's name; the gallery writes are asked of
            // the matcher as the service account, for the operator.
            FaceEmbedding face = FaceEmbedding.newBuilder().setFaceId("face-1").setFrameId("frame-1")
                    .setCameraId("door").setCapturedAt(Instant.now()).setVector(List.of(0.6f, 0.8f))
                    .setModelVersion("m1").build();
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka.adminClientConfig(),
                    new StringSerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(TOPICS.embeddings().name(), "door", TOPICS.embeddings().encode(face)))
                        .get();
            }
            HttpResponse<String> created = await(() -> {
                try {
                    HttpResponse<String> r = send(first, "POST", "/api/v1/feedback",
                            "{\"faceId\":\"face-1\",\"verdict\":\"NEW_IDENTITY\",\"name\":\"Ann Lee\"}");
                    return r.statusCode() == 404 && r.body().contains("no recent face") ? null : r;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "the face to reach the dashboard");
            assertEquals(201, created.statusCode(), created.body());
            assertTrue(created.body().contains("created-1"), created.body());
            assertTrue(matcherCalls.stream().anyMatch(c -> c.startsWith("POST /api/v1/identities as=service for=op ")
                    && c.contains("Ann Lee")), matcherCalls.toString());
            assertTrue(matcherCalls.stream().anyMatch(c -> c.startsWith(
                    "POST /api/v1/identities/created-1/samples as=service for=op ") && c.contains("\"face-1\"")),
                    matcherCalls.toString());
            List<Feedback> feedback = readAll(TOPICS.feedback().name(),
                    b -> TOPICS.feedback().valueSerde().deserializer().deserialize(TOPICS.feedback().name(), b));
            assertEquals(1, feedback.size());
            assertEquals(Verdict.NEW_IDENTITY, feedback.get(0).getVerdict());
            assertEquals("created-1", feedback.get(0).getIdentityId());
            assertEquals(OPERATOR, feedback.get(0).getOperator());

            assertEquals(404, send(first, "POST", "/api/v1/feedback",
                    "{\"faceId\":\"face-1\",\"verdict\":\"CONFIRM\",\"identityId\":\"nobody\"}").statusCode());
        }

        // Restarted, with the matcher unreachable: the camera setting is read back from the topic; a label that
        // needs the matcher is a 502 with the reason.
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (ApplicationContext second = dashboard("http://127.0.0.1:" + closed)) {
            HttpResponse<String> cameras = send(second, "GET", "/api/v1/cameras", null);
            assertEquals(200, cameras.statusCode());
            assertTrue(cameras.body().contains("\"cameraId\":\"door\",\"threshold\":0.7"), cameras.body());
            HttpResponse<String> down = await(() -> {
                try {
                    HttpResponse<String> r = send(second, "POST", "/api/v1/feedback",
                            "{\"faceId\":\"face-1\",\"verdict\":\"CONFIRM\",\"identityId\":\"known\"}");
                    return r.statusCode() == 404 && r.body().contains("no recent face") ? null : r;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "the face to reach the restarted dashboard");
            assertEquals(502, down.statusCode(), down.body());
            assertTrue(down.body().contains("cannot be reached"), down.body());
        }
    }

    @Test
    void servesTheLiveListsFromItsFeedsAndPassesIdentitiesToTheMatcher() throws Exception {
        Instant now = Instant.now();
        Match match = Match.newBuilder().setFaceId("live-face").setFrameId("live-frame").setCameraId("gate")
                .setCapturedAt(now).setCandidates(List.of(new Candidate("known", "Kim", 0.71)))
                .setDecision(Decision.KNOWN).setThreshold(0.43).setModelVersion("m1").setGalleryVersion(3L)
                .setMatchedAt(now).build();
        Sighting sighting = Sighting.newBuilder().setSightingId("sighting-1").setCameraId("gate")
                .setState(SightingState.OPEN).setFirstSeenAt(now).setLastSeenAt(now).setFaceCount(1)
                .setDecision(Decision.KNOWN).setIdentityId("known").setName("Kim").setScore(0.71).setMargin(0.3)
                .setCandidates(List.of(new Candidate("known", "Kim", 0.71))).setBestFaceId("live-face")
                .setBestFrameId("live-frame").setBestBox(BoundingBox.newBuilder().setX1(1).setY1(2).setX2(30)
                        .setY2(40).build())
                .setBestQuality(0.5f).setModelVersion("m1").setUpdatedAt(now).build();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka.adminClientConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(TOPICS.matches().name(), "gate", TOPICS.matches().encode(match))).get();
            p.send(new ProducerRecord<>(TOPICS.sightings().name(), "sighting-1",
                    TOPICS.sightings().encode(sighting))).get();
        }
        try (ApplicationContext ctx = dashboard(matcherUrl())) {
            // the live lists, from the dashboard's own followers of `matches` and `sightings`
            HttpResponse<String> matches = await(() -> {
                try {
                    HttpResponse<String> r = send(ctx, "GET", "/api/v1/matches?limit=10", null);
                    return r.statusCode() == 200 && r.body().contains("live-face") ? r : null;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "the match on /api/v1/matches");
            assertTrue(matches.body().contains("\"decision\":\"KNOWN\"") && matches.body().contains("\"name\":\"Kim\"")
                    && matches.body().contains("\"thumbnailUrl\":\"/api/v1/faces/live-face/crop.png\""), matches.body());
            assertEquals(400, send(ctx, "GET", "/api/v1/matches?limit=0", null).statusCode());
            assertEquals(400, send(ctx, "GET", "/api/v1/matches?limit=501", null).statusCode());
            HttpResponse<String> sightings = await(() -> {
                try {
                    HttpResponse<String> r = send(ctx, "GET", "/api/v1/sightings?decision=KNOWN", null);
                    return r.statusCode() == 200 && r.body().contains("sighting-1") ? r : null;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "the sighting on /api/v1/sightings");
            assertTrue(sightings.body().startsWith("{\"items\":["), sightings.body());
            HttpResponse<String> unknown = send(ctx, "GET", "/api/v1/sightings?decision=UNKNOWN", null);
            assertEquals("{\"items\":[]}", unknown.body());
            HttpResponse<String> badDecision = send(ctx, "GET", "/api/v1/sightings?decision=MAYBE", null);
            assertEquals(400, badDecision.statusCode());
            assertTrue(badDecision.body().contains("KNOWN or UNKNOWN"), badDecision.body());

            // identities: passed to the matcher as the service account, for the operator
            HttpResponse<String> list = send(ctx, "GET", "/api/v1/identities", null);
            assertEquals(200, list.statusCode(), list.body());
            assertTrue(list.body().contains("\"id\":\"known\"") && list.body().contains("\"samples\":2"), list.body());
            assertEquals(400, send(ctx, "POST", "/api/v1/identities", "{\"name\":\" \"}").statusCode());
            HttpResponse<String> created = send(ctx, "POST", "/api/v1/identities", "{\"name\":\"Lou Reed\"}");
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("{\"id\":\"created-1\"}", created.body());
            assertTrue(matcherCalls.stream().anyMatch(c -> c.startsWith("POST /api/v1/identities as=service for=op ")
                    && c.contains("Lou Reed")), matcherCalls.toString());

            HttpResponse<String> enrolled = send(ctx, "POST", "/api/v1/identities/created-1/faces", "image/jpeg",
                    "face-photo", OPERATOR_PASSWORD);
            assertEquals(201, enrolled.statusCode(), enrolled.body());
            assertTrue(enrolled.body().contains("\"sampleId\":\"s-9\""), enrolled.body());
            HttpResponse<String> noFace = send(ctx, "POST", "/api/v1/identities/created-1/faces", "image/jpeg",
                    "landscape", OPERATOR_PASSWORD);
            assertEquals(422, noFace.statusCode(), noFace.body());
            assertTrue(noFace.body().contains("no face found"), noFace.body());
            HttpResponse<String> text = send(ctx, "POST", "/api/v1/identities/created-1/faces", "text/plain", "hi",
                    OPERATOR_PASSWORD);
            assertEquals(415, text.statusCode(), text.body());
            long facesCalls = matcherCalls.stream().filter(c -> c.contains("/faces ")).count();
            assertEquals(2, facesCalls, "the 415 is answered without asking the matcher: " + matcherCalls);

            assertEquals(204, send(ctx, "DELETE", "/api/v1/identities/created-1", null).statusCode());
            HttpResponse<String> gone = send(ctx, "DELETE", "/api/v1/identities/nobody", null);
            assertEquals(404, gone.statusCode(), gone.body());
            assertTrue(matcherCalls.contains("DELETE /api/v1/identities/created-1 as=service for=op "),
                    matcherCalls.toString());

            // the same accounts: a wrong password is a 401 on every one of these paths
            for (String path : List.of("/api/v1/matches", "/api/v1/sightings", "/api/v1/identities")) {
                assertEquals(401, send(ctx, "GET", path, null, null, "wrong-" + OPERATOR_PASSWORD).statusCode(), path);
            }
        }
    }
}
