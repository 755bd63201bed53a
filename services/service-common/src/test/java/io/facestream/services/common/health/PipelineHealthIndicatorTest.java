package io.facestream.services.common.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.health.LoopState;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.stage.ProcessingRetries;
import io.facestream.services.common.security.PasswordHash;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code /health} of a real Micronaut server with the services' health settings: a real {@link TopicFollower}
 * whose callback throws on a record retries, gives up and turns {@code /health} DOWN (503); an anonymous probe sees
 * only the status, an authenticated viewer also which component failed and why. A loop that stops iterating is
 * reported stuck.
 */
class PipelineHealthIndicatorTest {

    private static final String PASSWORD = "health-test-password";

    @Test
    void aFollowerThatKeepsThrowingTurnsHealthDownNamingItToAnAuthenticatedViewerOnly() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
            try (Admin admin = Admin.create(kafka.adminClientConfig())) {
                TopicCreator.createAll(admin, List.of(TopicSpec.of("health-topic", 1)), Duration.ofSeconds(20));
            }
            Map<String, Object> props = Map.of(
                    "micronaut.server.port", -1,
                    "endpoints.health.enabled", true,
                    "endpoints.health.sensitive", false,
                    "endpoints.health.details-visible", "AUTHENTICATED",
                    "micronaut.security.basic-auth.enabled", true,
                    "facestream.security.users.viewer.password-hash", PasswordHash.hash(PASSWORD),
                    "facestream.security.users.viewer.roles", List.of("viewer"),
                    "facestream.health.stuck-after", "60s");
            HttpClient http = HttpClient.newHttpClient();
            KafkaClientSettings settings = new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings());
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
                    TopicFollower healthy = new TopicFollower("healthy-follower", settings, List.of("health-topic"),
                            -1, r -> { }).start()) {
                ApplicationContext ctx = server.getApplicationContext();
                ctx.registerSingleton(Monitored.class, healthy);
                assertTrue(healthy.awaitCaughtUp(Duration.ofSeconds(30)));
                HttpResponse<String> up = get(http, server, false);
                assertEquals(200, up.statusCode(), up.body());

                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.adminClientConfig(), new StringSerializer(),
                        new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>("health-topic", "k", new byte[] {42})).get();
                }
                TopicFollower poisoned = new TopicFollower("poisoned-follower", settings, List.of("health-topic"), -1,
                        r -> {
                            throw new IllegalStateException("cannot apply record " + r.offset());
                        }, new ProcessingRetries(3, Duration.ofMillis(50))).start();
                try {
                    ctx.registerSingleton(Monitored.class, poisoned);
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (poisoned.loops().get(0).state() != LoopState.FAILED && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    HttpResponse<String> anonymous = get(http, server, false);
                    assertEquals(503, anonymous.statusCode(), anonymous.body());
                    assertTrue(anonymous.body().contains("DOWN"), anonymous.body());
                    assertFalse(anonymous.body().contains("poisoned-follower"), "details only for an account: "
                            + anonymous.body());

                    HttpResponse<String> viewer = get(http, server, true);
                    assertEquals(503, viewer.statusCode(), viewer.body());
                    assertTrue(viewer.body().contains("poisoned-follower: failed: gave up after 3 failures"),
                            viewer.body());
                    assertTrue(viewer.body().contains("cannot apply record 0"), viewer.body());
                    assertTrue(viewer.body().contains("healthy-follower"), viewer.body());
                } finally {
                    poisoned.close();
                }
            }
        }
    }

    @Test
    void aLoopWithoutAnIterationForLongerThanTheLimitIsStuck() {
        Map<String, Object> props = Map.of("facestream.health.stuck-after", "60s");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            ctx.registerSingleton(Monitored.class, (Monitored) () -> List.of(
                    new LoopStatus("slow-stage", LoopState.RUNNING, Duration.ofSeconds(59), ""),
                    new LoopStatus("stuck-stage", LoopState.RUNNING, Duration.ofSeconds(61), "")));
            PipelineHealthIndicator indicator = ctx.getBean(PipelineHealthIndicator.class);
            var result = indicator.check();
            assertEquals("DOWN", result.getStatus().getName());
            String details = String.valueOf(result.getDetails());
            assertTrue(details.contains("stuck-stage: stuck: no loop iteration for 61 s (limit 60 s)"), details);
            assertFalse(details.contains("slow-stage: stuck"), details);
        }
    }

    private static HttpResponse<String> get(HttpClient http, EmbeddedServer server, boolean authenticated)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort()
                + "/health")).timeout(Duration.ofSeconds(20));
        if (authenticated) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("viewer:" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
