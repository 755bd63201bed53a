package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import io.facestream.matching.topology.CameraSettings;
import io.facestream.matching.topology.CameraSettingsReplica;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera threshold set through the camera API (the dashboard's {@code PUT /api/v1/cameras/{id}}) lives in the
 * compacted {@code cameras} topic on the real broker: a second matcher instance (its replica, on the matcher's own
 * Kafka login) sees it, and the matcher of a restarted pipeline has it before it matches its first face.
 */
class CameraSettingsRestartTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    private static HttpResponse<String> put(EmbeddedPipeline p, String camera, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(p.baseUrl() + "/api/v1/cameras/" + camera))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("op:op-password"
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<Double> threshold(CameraSettings s, String camera) {
        return s.get(camera).flatMap(CameraSettings.Setting::threshold);
    }

    @Test
    void aThresholdSurvivesAMatcherRestartAndReachesASecondInstance() throws Exception {
        SharedData.require("faces-dev");
        Map<String, Object> settings = EmbeddedPipeline.account("op", "op-password", "operator");
        try (EmbeddedPipeline first = EmbeddedPipeline.start(data, TestModels.dir(), 0, 0, settings)) {
            HttpResponse<String> refused = put(first, "gate", "{\"threshold\":1.5}");
            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("[0, 1]"), refused.body());
            HttpResponse<String> ok = put(first, "gate", "{\"threshold\":0.83,\"enabled\":false}");
            assertEquals(200, ok.statusCode(), ok.body());

            // A second matcher instance: its own replica of the topic, on the matcher's login.
            CameraSettings second = new CameraSettings();
            try (CameraSettingsReplica replica = new CameraSettingsReplica(first.kafka(ServicePrincipal.MATCHER),
                    first.context().getBean(Topics.class), second).start()) {
                assertTrue(replica.awaitCaughtUp(Duration.ofSeconds(30)));
                assertEquals(Optional.of(0.83), threshold(second, "gate"));
                assertEquals(false, second.get("gate").orElseThrow().enabled());
            }
            // ... and this pipeline's own matcher, which the API reached through the topic only
            CameraSettings own = first.context().getBean(CameraSettings.class);
            assertTrue(first.context().getBean(CameraSettingsReplica.class).sync(Duration.ofSeconds(30)));
            assertEquals(Optional.of(0.83), threshold(own, "gate"));
        }
        // The whole pipeline restarted on the same data dir (the broker's log kept): the matcher has the setting
        // as soon as it exists, since its replica catches up before any bean that matches gets it.
        try (EmbeddedPipeline restarted = EmbeddedPipeline.start(data, TestModels.dir(), 0, 0, settings)) {
            CameraSettings own = restarted.context().getBean(CameraSettings.class);
            assertEquals(Optional.of(0.83), threshold(own, "gate"));
            assertEquals(false, own.get("gate").orElseThrow().enabled());
        }
    }
}
