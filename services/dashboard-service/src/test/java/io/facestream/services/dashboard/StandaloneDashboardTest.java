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
    private static final String VIEWER = "watcher";
    private static final String VIEWER_PASSWORD = "viewer-password-789";
    /** What the stand-in matcher and retrainer answer, passed on unchanged (a field the dashboard has no record of). */
    private static final String CLUSTERS = "{\"items\":[{\"clusterId\":\"u-1\",\"size\":3,\"cameras\":[\"gate\"],"
            + "\"firstSeen\":\"2026-12-03T10:00:00Z\",\"lastSeen\":\"2026-12-03T10:05:00Z\",\"faceIds\":[\"f1\",\"f2\","
            + "\"f3\"],\"cropUrls\":[\"/api/v1/clusters/u-1/faces/f1/crop.png\"],\"futureField\":7}]}";
    private static final String SEARCH_PAGE = "{\"items\":[{\"faceId\":\"f1\",\"frameId\":\"fr1\",\"cameraId\":\"gate\","
            + "\"capturedAt\":\"2026-12-03T10:00:00Z\",\"score\":0.81,\"modelVersion\":\"m1\",\"cropUrl\":"
            + "\"/api/v1/faces/f1/crop.png\",\"frameUrl\":\"/api/v1/frames/fr1/image\"}],\"windows\":[{\"modelVersion\":"
            + "\"m1\",\"from\":\"2026-12-03T09:00:00Z\",\"to\":\"2026-12-03T11:00:00Z\"}],\"queryModels\":[\"m1\"]}";
    private static final String MODELS = "{\"serving\":\"m1\",\"versions\":[{\"version\":\"m1\",\"status\":\"ACTIVE\","
            + "\"sha256\":\"ab\",\"createdAt\":\"2026-12-01T00:00:00Z\",\"metrics\":{\"macroF1\":0.9}}]}";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static java.nio.file.Path dir;
    private static EmbeddedKafka kafka;
    private static HttpServer matcher;
    private static HttpServer retrainer;
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
        matcher.createContext("/api/v1/clusters", StandaloneDashboardTest::clustersAnswer);
        matcher.createContext("/api/v1/search", StandaloneDashboardTest::searchAnswer);
        matcher.start();
        retrainer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        retrainer.createContext("/api/v1/models", StandaloneDashboardTest::modelsAnswer);
        retrainer.start();
    }

    @AfterAll
    static void stop() {
        if (matcher != null) {
            matcher.stop(0);
        }
        if (retrainer != null) {
            retrainer.stop(0);
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

    /** Records the call as the matcher's other handler does (with the query), and whether it came as the service. */
    private static boolean record(HttpExchange ex, String body) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString(("dashboard-service:" + SERVICE_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        String query = ex.getRequestURI().getRawQuery();
        matcherCalls.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + (query == null ? "" : "?" + query)
                + " as=" + (expected.equals(auth) ? "service" : auth) + " for="
                + ex.getRequestHeaders().getFirst(MatcherClient.OPERATOR_HEADER) + " type="
                + ex.getRequestHeaders().getFirst("Content-Type") + " " + body);
        return expected.equals(auth);
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
        if (type != null) {
            ex.getResponseHeaders().add("Content-Type", type);
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private static void json(HttpExchange ex, int status, String json) throws IOException {
        reply(ex, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** The matcher's clusters API: the list (400 for limit=0, as the matcher's), one, a crop, one too large. */
    private static void clustersAnswer(HttpExchange ex) throws IOException {
        if (!record(ex, "")) {
            json(ex, 401, "{}");
            return;
        }
        String path = ex.getRequestURI().getPath();
        String query = String.valueOf(ex.getRequestURI().getRawQuery());
        if (path.equals("/api/v1/clusters")) {
            if (query.contains("limit=0")) {
                json(ex, 400, "{\"error\":\"'limit' must be a whole number from 1 to 500, got '0'\"}");
            } else {
                json(ex, 200, CLUSTERS);
            }
        } else if (path.equals("/api/v1/clusters/u-1")) {
            json(ex, 200, CLUSTERS.substring("{\"items\":[".length(), CLUSTERS.length() - 2));
        } else if (path.equals("/api/v1/clusters/u-1/faces/f1/crop.png")) {
            reply(ex, 200, "image/png", PNG);
        } else if (path.equals("/api/v1/clusters/huge")) {
            json(ex, 200, "\"" + "x".repeat(2 * 1024 * 1024) + "\"");
        } else {
            json(ex, 404, "{\"error\":\"no cluster " + path.substring(path.lastIndexOf('/') + 1) + "\"}");
        }
    }

    /** The matcher's search: a photo with a face or a known person finds a page; "landscape" has no face. */
    private static void searchAnswer(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String text = new String(body, StandardCharsets.UTF_8);
        if (!record(ex, body.length > 100 ? body.length + " bytes" : text)) {
            json(ex, 401, "{}");
            return;
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if ("image/jpeg".equals(type) && text.equals("landscape")) {
            json(ex, 422, "{\"error\":\"no face found in the photo\"}");
        } else if ("image/jpeg".equals(type) && text.equals("face-photo")
                || "application/json".equals(type) && text.contains("\"known\"")) {
            json(ex, 200, SEARCH_PAGE);
        } else {
            json(ex, 404, "{\"error\":\"no enrolled samples for identity\"}");
        }
    }

    /** The retrainer's models API. */
    private static void modelsAnswer(HttpExchange ex) throws IOException {
        if (!record(ex, "")) {
            json(ex, 401, "{}");
            return;
        }
        String path = ex.getRequestURI().getPath();
        switch (ex.getRequestMethod() + " " + path) {
            case "GET /api/v1/models" -> json(ex, 200, MODELS);
            case "GET /api/v1/models/jobs" -> json(ex, 200, "[{\"id\":\"j1\",\"state\":\"RUNNING\",\"step\":3}]");
            case "POST /api/v1/models/retrain" -> json(ex, 202, "{\"id\":\"j2\",\"state\":\"QUEUED\"}");
            case "GET /api/v1/models/versions/m1/files/roc.png" -> reply(ex, 200, "image/png", PNG);
            default -> reply(ex, 404, null, new byte[0]);
        }
    }

    private static ApplicationContext dashboard(String matcherUrl) {
        return dashboard(matcherUrl, "http://127.0.0.1:" + retrainer.getAddress().getPort());
    }

    private static ApplicationContext dashboard(String matcherUrl, String retrainerUrl) {
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
        props.put("facestream.dashboard.retrainer.base-url", retrainerUrl);
        props.put("facestream.security.users." + VIEWER + ".password-hash", PasswordHash.hash(VIEWER_PASSWORD));
        props.put("facestream.security.users." + VIEWER + ".roles", List.of("viewer"));
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
        return send(ctx, OPERATOR, password, method, path, type, body == null ? null : body.getBytes(
                StandardCharsets.UTF_8), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> HttpResponse<T> send(ApplicationContext ctx, String user, String password, String method,
            String path, String type, byte[] body, HttpResponse.BodyHandler<T> handler) throws Exception {
        HttpRequest.Builder b = request(ctx, user, password, path);
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(b.build(), handler);
    }

    private static HttpRequest.Builder request(ApplicationContext ctx, String user, String password, String path) {
        URI uri = URI.create("http://127.0.0.1:" + ctx.getBean(EmbeddedServer.class).getPort() + path);
        return HttpRequest.newBuilder(uri).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> get(ApplicationContext ctx, String user, String password, String path)
            throws Exception {
        return send(ctx, user, password, "GET", path, null, null, HttpResponse.BodyHandlers.ofString());
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

    @Test
    void streamsMatchesAndSightingsFromItsOwnFeeds() throws Exception {
        try (ApplicationContext ctx = dashboard(matcherUrl())) {
            List<String> matchLines = new CopyOnWriteArrayList<>();
            List<String> sightingLines = new CopyOnWriteArrayList<>();
            var matchStream = follow(ctx, "/api/v1/matches/stream", matchLines);
            var sightingStream = follow(ctx, "/api/v1/sightings/stream", sightingLines);
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka.adminClientConfig(),
                    new StringSerializer(), new ByteArraySerializer())) {
                // records written until both streams show one: a stream hears only what is read after it opened
                await(() -> {
                    Instant at = Instant.now();
                    String face = "stream-face-" + at.toEpochMilli();
                    Match m = Match.newBuilder().setFaceId(face).setFrameId("stream-frame").setCameraId("yard")
                            .setCapturedAt(at).setCandidates(List.of()).setDecision(Decision.UNKNOWN)
                            .setThreshold(0.5).setModelVersion("m1").setGalleryVersion(1L).setMatchedAt(at)
                            .setTrackId("stream-sighting").build();
                    Sighting s = Sighting.newBuilder().setSightingId("stream-sighting").setCameraId("yard")
                            .setState(SightingState.OPEN).setFirstSeenAt(at).setLastSeenAt(at).setFaceCount(1)
                            .setDecision(Decision.UNKNOWN).setScore(0.2).setMargin(0.0).setCandidates(List.of())
                            .setBestFaceId(face).setBestFrameId("stream-frame").setBestBox(BoundingBox.newBuilder()
                                    .setX1(1).setY1(2).setX2(30).setY2(40).build())
                            .setBestQuality(0.5f).setModelVersion("m1").setUpdatedAt(at).build();
                    try {
                        p.send(new ProducerRecord<>(TOPICS.matches().name(), "yard", TOPICS.matches().encode(m))).get();
                        p.send(new ProducerRecord<>(TOPICS.sightings().name(), "stream-sighting",
                                TOPICS.sightings().encode(s))).get();
                        Thread.sleep(300);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return matchLines.stream().anyMatch(l -> l.contains("\"faceId\":\"stream-face-"))
                            && sightingLines.stream().anyMatch(l -> l.contains("\"sightingId\":\"stream-sighting\""))
                            ? true : null;
                }, "a match and a sighting on the dashboard's own streams");
            } finally {
                matchStream.cancel(true);
                sightingStream.cancel(true);
            }
            // the matcher's event names and ids, its JSON shapes
            assertTrue(matchLines.stream().anyMatch(l -> l.matches("event: ?match")), matchLines.toString());
            assertTrue(matchLines.stream().anyMatch(l -> l.matches("id: ?stream-face-\\d+")), matchLines.toString());
            assertTrue(matchLines.stream().anyMatch(l -> l.contains("\"trackId\":\"stream-sighting\"")
                    && l.contains("\"decision\":\"UNKNOWN\"")), matchLines.toString());
            assertTrue(sightingLines.stream().anyMatch(l -> l.matches("event: ?sighting")), sightingLines.toString());
            assertTrue(sightingLines.stream().anyMatch(l -> l.matches("id: ?stream-sighting@\\d+")),
                    sightingLines.toString());

            // one sighting and its faces, from the same feeds
            HttpResponse<String> one = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/sightings/stream-sighting");
            assertEquals(200, one.statusCode(), one.body());
            assertTrue(one.body().startsWith("{\"sightingId\":\"stream-sighting\"") && one.body().contains(
                    "\"cameraId\":\"yard\""), one.body());
            HttpResponse<String> faces = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/sightings/stream-sighting/faces");
            assertEquals(200, faces.statusCode(), faces.body());
            assertTrue(faces.body().matches("\\{\"items\":\\[\\{\"faceId\":\"stream-face-\\d+\",\"thumbnailUrl\":"
                    + "\"/api/v1/faces/stream-face-\\d+/crop.png\"}.*"), faces.body());
            HttpResponse<String> none = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/sightings/nobody");
            assertEquals(404, none.statusCode());
            assertEquals("{\"error\":\"no recent sighting nobody\"}", none.body());
            assertEquals(404, get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/sightings/nobody/faces").statusCode());
            for (String path : List.of("/api/v1/matches/stream", "/api/v1/sightings/stream",
                    "/api/v1/sightings/stream-sighting")) {
                assertEquals(401, get(ctx, VIEWER, "wrong", path).statusCode(), path);
            }
        }
    }

    /** Reads an event stream's lines into {@code lines} until cancelled. */
    private static java.util.concurrent.CompletableFuture<?> follow(ApplicationContext ctx, String path,
            List<String> lines) {
        HttpRequest r = request(ctx, VIEWER, VIEWER_PASSWORD, path).header("Accept", "text/event-stream").GET()
                .build();
        return HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            lines.add("status " + response.statusCode());
            response.body().forEach(lines::add);
        });
    }

    @Test
    void passesClustersSearchAndModelsToTheServicesThatHaveThem() throws Exception {
        try (ApplicationContext ctx = dashboard(matcherUrl())) {
            // clusters: the matcher's answer as it is, its refusals too
            HttpResponse<String> list = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/clusters?limit=5&minSize=2");
            assertEquals(200, list.statusCode(), list.body());
            assertEquals(CLUSTERS, list.body());
            assertTrue(list.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertTrue(matcherCalls.contains("GET /api/v1/clusters?limit=5&minSize=2 as=service for=null type=null "),
                    matcherCalls.toString());
            HttpResponse<String> badLimit = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/clusters?limit=0");
            assertEquals(400, badLimit.statusCode());
            assertTrue(badLimit.body().contains("from 1 to 500"), badLimit.body());
            HttpResponse<String> one = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/clusters/u-1");
            assertEquals(200, one.statusCode(), one.body());
            assertTrue(one.body().startsWith("{\"clusterId\":\"u-1\"") && one.body().contains("\"futureField\":7"),
                    one.body());
            HttpResponse<String> gone = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/clusters/u-2");
            assertEquals(404, gone.statusCode());
            assertEquals("{\"error\":\"no cluster u-2\"}", gone.body());
            int before = matcherCalls.size();
            HttpResponse<String> odd = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/clusters/a%20b");
            assertEquals(404, odd.statusCode());
            assertEquals(before, matcherCalls.size(), "an id the matcher never makes is not sent: " + matcherCalls);
            HttpResponse<byte[]> crop = send(ctx, VIEWER, VIEWER_PASSWORD, "GET",
                    "/api/v1/clusters/u-1/faces/f1/crop.png", null, null, HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, crop.statusCode());
            assertEquals("image/png", crop.headers().firstValue("Content-Type").orElse(""));
            assertTrue(Arrays.equals(PNG, crop.body()), Arrays.toString(crop.body()));
            HttpResponse<String> huge = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/clusters/huge");
            assertEquals(502, huge.statusCode());
            assertTrue(huge.body().contains("larger than 1048576 bytes"), huge.body());

            // search: the photo or the JSON query and the filters go on as they came, for the operator
            HttpResponse<String> byPhoto = send(ctx, OPERATOR, OPERATOR_PASSWORD, "POST",
                    "/api/v1/search?camera=gate&minScore=0.6&limit=5", "image/jpeg",
                    "face-photo".getBytes(StandardCharsets.UTF_8), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, byPhoto.statusCode(), byPhoto.body());
            assertEquals(SEARCH_PAGE, byPhoto.body());
            assertTrue(matcherCalls.contains("POST /api/v1/search?camera=gate&minScore=0.6&limit=5 as=service for=op "
                    + "type=image/jpeg face-photo"), matcherCalls.toString());
            HttpResponse<String> byPerson = send(ctx, VIEWER, VIEWER_PASSWORD, "POST", "/api/v1/search",
                    "application/json", "{\"identityId\":\"known\"}".getBytes(StandardCharsets.UTF_8),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, byPerson.statusCode(), byPerson.body());
            assertTrue(matcherCalls.contains("POST /api/v1/search as=service for=" + VIEWER
                    + " type=application/json {\"identityId\":\"known\"}"), matcherCalls.toString());
            HttpResponse<String> noFace = send(ctx, VIEWER, VIEWER_PASSWORD, "POST", "/api/v1/search", "image/jpeg",
                    "landscape".getBytes(StandardCharsets.UTF_8), HttpResponse.BodyHandlers.ofString());
            assertEquals(422, noFace.statusCode());
            assertEquals("{\"error\":\"no face found in the photo\"}", noFace.body());
            before = matcherCalls.size();
            HttpResponse<String> text = send(ctx, VIEWER, VIEWER_PASSWORD, "POST", "/api/v1/search", "text/plain",
                    "hi".getBytes(StandardCharsets.UTF_8), HttpResponse.BodyHandlers.ofString());
            assertEquals(415, text.statusCode());
            assertTrue(text.body().contains("application/json for a search by identity"), text.body());
            HttpResponse<String> empty = send(ctx, VIEWER, VIEWER_PASSWORD, "POST", "/api/v1/search", "image/png",
                    new byte[0], HttpResponse.BodyHandlers.ofString());
            assertEquals(400, empty.statusCode());
            assertTrue(empty.body().contains("the body is empty"), empty.body());
            assertEquals(before, matcherCalls.size(), "refused here, not sent on: " + matcherCalls);
            // the same limit as the matcher's and the ingest's: 16 MB; the photo just under it goes on
            byte[] big = new byte[16 * 1024 * 1024 - 16];
            HttpResponse<String> under = send(ctx, VIEWER, VIEWER_PASSWORD, "POST", "/api/v1/search", "image/jpeg",
                    big, HttpResponse.BodyHandlers.ofString());
            assertEquals(404, under.statusCode(), under.body());
            assertTrue(matcherCalls.get(matcherCalls.size() - 1).endsWith(" " + big.length + " bytes"),
                    matcherCalls.get(matcherCalls.size() - 1));
            before = matcherCalls.size();
            int tooLarge;
            try {
                tooLarge = send(ctx, VIEWER, VIEWER_PASSWORD, "POST", "/api/v1/search", "image/jpeg",
                        new byte[16 * 1024 * 1024 + 1], HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (IOException e) {
                tooLarge = -1; // the server may close the connection while the body is still being sent
            }
            assertTrue(tooLarge == 413 || tooLarge == -1, "over the limit: " + tooLarge);
            assertEquals(before, matcherCalls.size(), "a body over the limit is not sent on");

            // models: the retrainer's answers as they are; retraining is an operator's
            HttpResponse<String> models = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/models");
            assertEquals(200, models.statusCode(), models.body());
            assertEquals(MODELS, models.body());
            HttpResponse<String> jobs = get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/models/jobs");
            assertEquals(200, jobs.statusCode(), jobs.body());
            assertTrue(jobs.body().contains("\"id\":\"j1\""), jobs.body());
            before = matcherCalls.size();
            HttpResponse<String> notYours = send(ctx, VIEWER, VIEWER_PASSWORD, "POST", "/api/v1/models/retrain",
                    null, null, HttpResponse.BodyHandlers.ofString());
            assertEquals(403, notYours.statusCode());
            assertEquals(before, matcherCalls.size(), "a viewer's retrain is not sent on");
            HttpResponse<String> retrain = send(ctx, OPERATOR, OPERATOR_PASSWORD, "POST", "/api/v1/models/retrain",
                    null, null, HttpResponse.BodyHandlers.ofString());
            assertEquals(202, retrain.statusCode(), retrain.body());
            assertTrue(retrain.body().contains("\"id\":\"j2\""), retrain.body());
            assertTrue(matcherCalls.contains("POST /api/v1/models/retrain as=service for=op type=null "),
                    matcherCalls.toString());
            HttpResponse<byte[]> roc = send(ctx, VIEWER, VIEWER_PASSWORD, "GET", "/api/v1/models/versions/m1/files/roc.png",
                    null, null, HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, roc.statusCode());
            assertTrue(Arrays.equals(PNG, roc.body()));
            assertEquals(404, get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/models/versions/m1/files/secret.key")
                    .statusCode());
            assertEquals(404, get(ctx, VIEWER, VIEWER_PASSWORD, "/api/v1/models/jobs/none").statusCode());
            for (String path : List.of("/api/v1/clusters", "/api/v1/models", "/api/v1/models/jobs")) {
                assertEquals(401, get(ctx, VIEWER, "wrong", path).statusCode(), path);
            }
        }
    }

    @Test
    void aMatcherOrRetrainerThatIsDownIsA502WithTheReason() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closed;
        try (ApplicationContext ctx = dashboard(nowhere, nowhere)) {
            for (String path : List.of("/api/v1/clusters", "/api/v1/clusters/u-1")) {
                HttpResponse<String> r = get(ctx, VIEWER, VIEWER_PASSWORD, path);
                assertEquals(502, r.statusCode(), path);
                assertTrue(r.body().contains("the matcher cannot be reached"), r.body());
            }
            HttpResponse<String> search = send(ctx, VIEWER, VIEWER_PASSWORD, "POST", "/api/v1/search", "image/jpeg",
                    "face-photo".getBytes(StandardCharsets.UTF_8), HttpResponse.BodyHandlers.ofString());
            assertEquals(502, search.statusCode());
            assertTrue(search.body().contains("the matcher cannot be reached"), search.body());
            for (String path : List.of("/api/v1/models", "/api/v1/models/jobs")) {
                HttpResponse<String> r = get(ctx, VIEWER, VIEWER_PASSWORD, path);
                assertEquals(502, r.statusCode(), path);
                assertTrue(r.body().contains("the retrainer cannot be reached"), r.body());
            }
        }
    }
}
