package io.facestream.pipeline.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.security.ScramLogin;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access policy on a real broker with SCRAM and the KRaft authorizer: an anonymous client gets nothing, and
 * each principal exactly its policy. The attacks of the issue: a tombstone on {@code identities} (erasing a
 * person from the watch list), a forged {@code gallery} sample or {@code models} version, reading face crops.
 */
class AccessPolicyIntegrationTest {

    private static final Topics TOPICS = new Topics(4);
    private static final AccessPolicy POLICY = new AccessPolicy(TOPICS);

    private static EmbeddedKafka kafka;
    private static Map<String, ScramLogin> logins;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        try (Admin admin = Admin.create(kafka.adminClientConfig())) {
            TopicCreator.createAll(admin, TOPICS.specs(), Duration.ofSeconds(30));
        }
        logins = kafka.logins(Arrays.stream(ServicePrincipal.values()).map(ServicePrincipal::username).toList());
        kafka.grant(POLICY.bindings(), POLICY.principals());
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aClientWithoutCredentialsCannotReadMetadataOrProduce() {
        Map<String, Object> anonymous = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        try (Admin nobody = Admin.create(anonymous)) {
            assertThrows(ExecutionException.class, () -> nobody.listTopics().names().get());
        }
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(producer, new StringSerializer(),
                new StringSerializer())) {
            // the metadata never comes, so the send gives up within max.block.ms
            assertThrows(Exception.class, () -> p.send(new ProducerRecord<>("identities", "person-1", null)).get());
        }
    }

    @Test
    void theCameraWritesFramesAndNothingElse() throws Exception {
        send(ServicePrincipal.CAMERA, TOPICS.frames().name());
        // a tombstone erasing a person, a forged gallery sample, a forged model version
        refusedToWrite(ServicePrincipal.CAMERA, TOPICS.identities().name());
        refusedToWrite(ServicePrincipal.CAMERA, TOPICS.gallery().name());
        refusedToWrite(ServicePrincipal.CAMERA, TOPICS.models().name());
        refusedToWrite(ServicePrincipal.CAMERA, TOPICS.embeddings().name());
        refusedToRead(ServicePrincipal.CAMERA, TOPICS.faces().name());
        refusedToRead(ServicePrincipal.CAMERA, TOPICS.frames().name());
    }

    @Test
    void theDetectorReadsFramesButNotTheGallery() throws Exception {
        read(ServicePrincipal.DETECTOR, TOPICS.frames().name());
        refusedToRead(ServicePrincipal.DETECTOR, TOPICS.gallery().name());
        refusedToRead(ServicePrincipal.DETECTOR, TOPICS.identities().name());
        refusedToWrite(ServicePrincipal.DETECTOR, TOPICS.frames().name());
    }

    @Test
    void onlyTheMatcherAndTheRetrainerWriteTheGalleryAndOnlyTheRetrainerWritesModels() throws Exception {
        send(ServicePrincipal.MATCHER, TOPICS.identities().name());
        send(ServicePrincipal.RETRAINER, TOPICS.gallery().name());
        send(ServicePrincipal.RETRAINER, TOPICS.models().name());
        refusedToWrite(ServicePrincipal.MATCHER, TOPICS.models().name());
        refusedToWrite(ServicePrincipal.EMBEDDER, TOPICS.models().name());
        refusedToWrite(ServicePrincipal.DASHBOARD, TOPICS.identities().name());
        refusedToWrite(ServicePrincipal.DASHBOARD, TOPICS.gallery().name());
        refusedToWrite(ServicePrincipal.EMBEDDER, TOPICS.gallery().name());
        // the dashboard reads frames (a snapshot), never the faces the detector found
        refusedToRead(ServicePrincipal.DASHBOARD, TOPICS.faces().name());
    }

    private static KafkaClientSettings settings(ServicePrincipal who) {
        return KafkaClientSettings.of(kafka.bootstrapServers())
                .withLogin(EmbeddedKafka.SECURITY_PROTOCOL, logins.get(who.username()));
    }

    private static KafkaProducer<String, byte[]> producer(ServicePrincipal who) {
        Properties p = settings(who).producer();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(ServicePrincipal who, String topic) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer(who)) {
            p.send(new ProducerRecord<>(topic, "key", new byte[] {1})).get();
        }
    }

    private static void refusedToWrite(ServicePrincipal who, String topic) {
        try (KafkaProducer<String, byte[]> p = producer(who)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> p.send(new ProducerRecord<>(topic, "key", null)).get(), who + " wrote " + topic);
            assertInstanceOf(TopicAuthorizationException.class, e.getCause(), who + " → " + topic);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(ServicePrincipal who) {
        Properties c = settings(who).follower(KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void read(ServicePrincipal who, String topic) {
        try (KafkaConsumer<String, byte[]> c = consumer(who)) {
            c.assign(List.of(new TopicPartition(topic, 0)));
            c.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            c.poll(Duration.ofMillis(500));
            assertEquals(TOPICS.partitions(), c.partitionsFor(topic).size());
        }
    }

    private static void refusedToRead(ServicePrincipal who, String topic) {
        try (KafkaConsumer<String, byte[]> c = consumer(who)) {
            c.assign(List.of(new TopicPartition(topic, 0)));
            c.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            assertThrows(TopicAuthorizationException.class, () -> {
                for (int i = 0; i < 20; i++) {
                    c.poll(Duration.ofMillis(250));
                }
            }, who + " read " + topic);
        }
    }
}
