package io.facestream.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * The models topic's two kinds of key: a rejected candidate is only ever written under its own key, so the
 * model's ACTIVE pointer (what compaction keeps for the bare model name) always names a version that passed.
 */
class ModelAnnouncerTest {

    private static final Topics TOPICS = new Topics(1);
    private static final Path STORE = Path.of("/models");
    private static final KeyPair KEYS = keys();
    private static final ModelSigner SIGNER = new ModelSigner(KEYS.getPrivate(), STORE);
    private static final TrustedModelStore TRUST = new TrustedModelStore(STORE, List.of(KEYS.getPublic()));

    @Test
    void candidatesAndRejectionsStayUnderTheirOwnKeyAndActivationMovesThePointerAndRetiresThePrevious()
            throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
            try (Admin admin = Admin.create(kafka.adminClientConfig())) {
                TopicCreator.createAll(admin, List.of(TOPICS.models().spec()), Duration.ofSeconds(20));
            }
            List<String> keys = new ArrayList<>();
            try (ModelAnnouncer announcer = new ModelAnnouncer(new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), TOPICS,
                    SIGNER);
                    ModelCatalog catalog = new ModelCatalog(new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), TOPICS, "mfn", TRUST)
                            .start(Duration.ofSeconds(30));
                    var keysSeen = new io.facestream.pipeline.follow.TopicFollower("keys", new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()),
                            List.of("models"), -1, r -> keys.add(r.key())).start()) {
                ModelVersion v1 = version("v1", ModelStatus.CANDIDATE, 1);
                ModelVersion v2 = version("v2", ModelStatus.CANDIDATE, 2);
                announcer.record(v1);
                announcer.activate(v1, null);
                announcer.record(v2);
                announcer.record(ModelVersion.newBuilder(v2).setStatus(ModelStatus.REJECTED).build());
                ModelVersion v3 = version("v3", ModelStatus.CANDIDATE, 3);
                announcer.record(v3);
                assertTrue(catalog.sync(Duration.ofSeconds(30)), "the catalog has read v1's activation");
                announcer.activate(v3, catalog.active().orElseThrow());
                assertThrows(IllegalArgumentException.class,
                        () -> announcer.record(ModelVersion.newBuilder(v3).setStatus(ModelStatus.ACTIVE).build()));

                assertTrue(catalog.sync(Duration.ofSeconds(30)));
                assertTrue(keysSeen.sync(Duration.ofSeconds(30)));
                assertEquals("v3", catalog.active().orElseThrow().getVersion());
                assertEquals(ModelStatus.ACTIVE, catalog.active().orElseThrow().getStatus());
                assertEquals(ModelStatus.RETIRED, catalog.version("v1").orElseThrow().getStatus());
                assertEquals(ModelStatus.REJECTED, catalog.version("v2").orElseThrow().getStatus());
                assertEquals(ModelStatus.ACTIVE, catalog.version("v3").orElseThrow().getStatus());
                assertEquals(List.of("v3", "v2", "v1"), catalog.versions().stream().map(ModelVersion::getVersion)
                        .toList(), "newest first");
                assertEquals(List.of("mfn/v1", "mfn", "mfn/v1", "mfn/v2", "mfn/v2", "mfn/v3", "mfn", "mfn/v3",
                        "mfn/v1"), keys, "the bare key is written only by activations, before the version's record");
            }
        }
    }

    @Test
    void anActivationInterruptedAfterThePointerReadsAsThePointerSays() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
            try (Admin admin = Admin.create(kafka.adminClientConfig())) {
                TopicCreator.createAll(admin, List.of(TOPICS.models().spec()), Duration.ofSeconds(20));
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.adminClientConfig(), new StringSerializer(),
                    new ByteArraySerializer());
                    ModelCatalog catalog = new ModelCatalog(new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), TOPICS, "mfn", TRUST)
                            .start(Duration.ofSeconds(30))) {
                // v1 was active; v2's pointer was written, then the process died: v2's record still says
                // CANDIDATE and v1's still says ACTIVE.
                send(producer, "mfn/v1", SIGNER.sign(version("v1", ModelStatus.ACTIVE, 1)));
                send(producer, "mfn/v2", SIGNER.sign(version("v2", ModelStatus.CANDIDATE, 2)));
                send(producer, "mfn", SIGNER.sign(version("v2", ModelStatus.ACTIVE, 2)));
                // Neither a forged pointer nor a forged version enters the catalog.
                send(producer, "mfn", version("v9", ModelStatus.ACTIVE, 9));
                send(producer, "mfn/v9", version("v9", ModelStatus.CANDIDATE, 9));
                assertTrue(catalog.sync(Duration.ofSeconds(30)));
                assertEquals(ModelStatus.ACTIVE, catalog.version("v2").orElseThrow().getStatus());
                assertEquals(ModelStatus.RETIRED, catalog.version("v1").orElseThrow().getStatus());
                assertEquals("v2", catalog.active().orElseThrow().getVersion(), "the unsigned v9 pointer is skipped");
                assertEquals(List.of("v2", "v1"), catalog.versions().stream().map(ModelVersion::getVersion).toList());
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, ModelVersion v) throws Exception {
        producer.send(new ProducerRecord<>(TOPICS.models().name(), key, TOPICS.models().encode(v))).get();
    }

    private static KeyPair keys() {
        try {
            return KeyPairGenerator.getInstance(ModelSignatures.ALGORITHM).generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelVersion version(String v, ModelStatus status, long second) {
        return ModelVersion.newBuilder().setModelName("mfn").setVersion(v).setArtifactUri("file:/models/" + v)
                .setSha256("ab").setMetrics(Map.of("macroF1", 0.5)).setStatus(status)
                .setCreatedAt(Instant.ofEpochSecond(second)).build();
    }
}
