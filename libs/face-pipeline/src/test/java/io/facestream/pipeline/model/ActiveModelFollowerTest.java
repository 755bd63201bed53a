package io.facestream.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.Network;
import io.facestream.inference.testing.SharedModels;
import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model rollout as the embedder sees it: only a verified ACTIVE version is loaded and swapped in; a forged
 * one goes to models.dlq with its reason while the serving version keeps serving.
 */
class ActiveModelFollowerTest {

    private static final Topics TOPICS = new Topics(1);
    private static final String STAGE = "embedder";

    @TempDir
    Path dir;

    @Test
    void loadsASignedActiveVersionFromTheStoreAndDeadLettersForgedOnes() throws Exception {
        Network pretrained = SharedModels.get().mobileFaceNet();
        Path store = Files.createDirectories(dir.resolve("store"));
        Path params = Files.createDirectories(store.resolve("mobilefacenet/v2")).resolve("model.params");
        pretrained.saveParameters(params);
        String sha = ActiveModelFollower.sha256(params);
        // The same bytes outside the store: right checksum, wrong place.
        Path outside = Files.copy(params, dir.resolve("elsewhere.params"));
        KeyPair retrainer = KeyPairGenerator.getInstance(ModelSignatures.ALGORITHM).generateKeyPair();
        KeyPair attacker = KeyPairGenerator.getInstance(ModelSignatures.ALGORITHM).generateKeyPair();
        ModelSigner signer = new ModelSigner(retrainer.getPrivate(), store);
        TrustedModelStore trust = new TrustedModelStore(store, List.of(retrainer.getPublic()));
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
            try (Admin admin = Admin.create(kafka.adminClientConfig())) {
                TopicCreator.createAll(admin, List.of(TOPICS.models().spec(), TOPICS.models().deadLetterSpec()),
                        Duration.ofSeconds(20));
            }
            KafkaClientSettings settings = new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings());
            List<ConsumerRecord<String, byte[]>> letters = new CopyOnWriteArrayList<>();
            AtomicInteger counted = new AtomicInteger();
            try (ActiveModelFollower<Network> follower = follower(settings, pretrained, trust, counted).start();
                    TopicFollower deadLetters = new TopicFollower("dlq", settings, List.of("models.dlq"), -1,
                            letters::add).start();
                    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.adminClientConfig(), new StringSerializer(),
                            new ByteArraySerializer())) {
                send(producer, "mobilefacenet/v2", signer.sign(version("v2", params, sha, ModelStatus.CANDIDATE)));
                send(producer, signer.sign(version("v3", params, "00" + sha.substring(2), ModelStatus.ACTIVE)));
                send(producer, signer.sign(version("v4", store.resolve("mobilefacenet/v4/model.params"), sha,
                        ModelStatus.ACTIVE)));
                send(producer, signer.sign(version("v6", params, sha, ModelStatus.ACTIVE)));
                await(() -> follower.currentVersion().equals("v6"));
                assertEquals("v6", follower.currentVersion(), "only the verified ACTIVE version is taken");
                // The reloaded network computes what the pre-trained one does: the parameters round-trip.
                assertArrayEquals(embed(pretrained), embed(follower.current()), 1e-6f);

                // Forgeries while v6 serves: an artifact outside the store (with the right checksum), the right
                // artifact signed by another key, an unsigned record, a forged candidate under a version key.
                send(producer, version("v7", outside, sha, ModelStatus.ACTIVE));
                send(producer, new ModelSigner(attacker.getPrivate(), store).sign(version("v8", params, sha,
                        ModelStatus.ACTIVE)));
                send(producer, version("v9", params, sha, ModelStatus.ACTIVE));
                send(producer, "mobilefacenet/v10", new ModelSigner(attacker.getPrivate(), store).sign(
                        version("v10", params, sha, ModelStatus.CANDIDATE)));
                assertTrue(follower.sync(Duration.ofSeconds(30)));
                assertEquals("v6", follower.currentVersion(), "the serving version keeps serving");
                await(() -> letters.size() >= 6);
                assertTrue(deadLetters.sync(Duration.ofSeconds(30)));
                assertEquals(List.of("checksum-mismatch", "artifact-missing", "artifact-outside-store",
                        "bad-signature", "unsigned", "bad-signature"), letters.stream()
                        .map(r -> header(r, DeadLetter.ERROR_CLASS)).toList());
                ConsumerRecord<String, byte[]> outsideLetter = letters.get(2);
                assertEquals("mobilefacenet", outsideLetter.key());
                assertEquals(STAGE, header(outsideLetter, DeadLetter.STAGE));
                assertEquals("models", header(outsideLetter, DeadLetter.SOURCE_TOPIC));
                assertTrue(header(outsideLetter, DeadLetter.MESSAGE).contains("not inside the model store"),
                        header(outsideLetter, DeadLetter.MESSAGE));
                assertEquals("v7", TOPICS.models().decode(outsideLetter.value()).getVersion(), "the original bytes");
                assertEquals("mobilefacenet/v10", letters.get(5).key());
                await(() -> counted.get() == 6);
                assertEquals(6, counted.get(), "every letter written is counted");

                // A restart replays the compacted topic: it refuses the same records, but writes no second letter.
                try (ActiveModelFollower<Network> restarted = follower(settings, pretrained, trust, new AtomicInteger())
                        .start()) {
                    await(() -> restarted.currentVersion().equals("v6"));
                    assertTrue(restarted.sync(Duration.ofSeconds(30)));
                    assertEquals("v6", restarted.currentVersion());
                }
                Thread.sleep(500);
                assertTrue(deadLetters.sync(Duration.ofSeconds(30)));
                assertEquals(6, letters.size(), "each refused record is dead-lettered once per stage");
            }
        }
    }

    private static ActiveModelFollower<Network> follower(KafkaClientSettings settings, Network pretrained,
            TrustedModelStore trust, AtomicInteger counted) throws InterruptedException {
        ModelDeadLetters deadLetters = new ModelDeadLetters(settings, TOPICS, STAGE, kind -> counted.incrementAndGet())
                .start(Duration.ofSeconds(30));
        return new ActiveModelFollower<>(settings, TOPICS, "mobilefacenet", pretrained, "v1", trust, deadLetters,
                (v, artifact) -> Network.fromParameters("mobilefacenet", MobileFaceNet.build(), artifact,
                        pretrained.device()));
    }

    private static ModelVersion version(String v, Path artifact, String sha, ModelStatus status) {
        return ModelVersion.newBuilder().setModelName("mobilefacenet").setVersion(v)
                .setArtifactUri(artifact.toUri().toString()).setSha256(sha).setMetrics(Map.of()).setStatus(status)
                .setCreatedAt(Instant.now()).build();
    }

    private static void send(KafkaProducer<String, byte[]> producer, ModelVersion v) throws Exception {
        send(producer, v.getModelName(), v);
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, ModelVersion v) throws Exception {
        producer.send(new ProducerRecord<>(TOPICS.models().name(), key, TOPICS.models().encode(v))).get();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
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
