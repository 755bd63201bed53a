package io.facestream.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.Network;
import io.facestream.inference.testing.SharedModels;
import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model rollout as the embedder sees it: only a verified ACTIVE version is loaded and swapped in. */
class ActiveModelFollowerTest {

    private static final Topics TOPICS = new Topics(1);

    @TempDir
    Path dir;

    @Test
    void loadsAVerifiedActiveVersionAndIgnoresCandidatesRejectsAndBadChecksums() throws Exception {
        Network pretrained = SharedModels.get().mobileFaceNet();
        Path params = dir.resolve("mobilefacenet-v2.params");
        pretrained.saveParameters(params);
        String sha = ActiveModelFollower.sha256(params);
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
            try (Admin admin = Admin.create(kafka.adminClientConfig())) {
                TopicCreator.createAll(admin, List.of(TOPICS.models().spec()), Duration.ofSeconds(20));
            }
            try (ActiveModelFollower<Network> follower = new ActiveModelFollower<>(new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), TOPICS,
                    "mobilefacenet", pretrained, "v1", (v, artifact) -> Network.fromParameters("mobilefacenet",
                            MobileFaceNet.build(), artifact, pretrained.device())).start();
                    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.adminClientConfig(), new StringSerializer(),
                            new ByteArraySerializer())) {
                send(producer, version("v2", params, sha, ModelStatus.CANDIDATE));
                send(producer, version("v3", params, "00" + sha.substring(2), ModelStatus.ACTIVE)); // wrong checksum
                send(producer, version("v4", dir.resolve("missing.params"), sha, ModelStatus.ACTIVE));
                send(producer, version("v5", params, sha, ModelStatus.REJECTED));
                send(producer, version("v6", params, sha, ModelStatus.ACTIVE));
                await(() -> follower.currentVersion().equals("v6"));
                assertEquals("v6", follower.currentVersion(), "only the verified ACTIVE version is taken");
                // The reloaded network computes what the pre-trained one does: the parameters round-trip.
                assertArrayEquals(embed(pretrained), embed(follower.current()), 1e-6f);
            }
        }
    }

    private static ModelVersion version(String v, Path artifact, String sha, ModelStatus status) {
        return ModelVersion.newBuilder().setModelName("mobilefacenet").setVersion(v)
                .setArtifactUri(artifact.toUri().toString()).setSha256(sha).setMetrics(Map.of()).setStatus(status)
                .setCreatedAt(Instant.now()).build();
    }

    private static void send(KafkaProducer<String, byte[]> producer, ModelVersion v) throws Exception {
        producer.send(new ProducerRecord<>(TOPICS.models().name(), v.getModelName(),
                TOPICS.models().valueSerde().serializer().serialize(TOPICS.models().name(), v))).get();
    }

    private static float[] embed(Network network) {
        try (NDManager m = network.newCallManager()) {
            NDArray x = m.ones(new Shape(1, 3, 112, 112)).mul(0.25f);
            return network.forward(m, x).singletonOrThrow().toFloatArray();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
