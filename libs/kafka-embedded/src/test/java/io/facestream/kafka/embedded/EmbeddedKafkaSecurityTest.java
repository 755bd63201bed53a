package io.facestream.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.security.OwnerOnlyFiles;
import io.facestream.kafka.security.ScramLogin;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.kafka.topics.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SCRAM, the authorizer and the credentials file of the embedded broker, on a real broker. */
class EmbeddedKafkaSecurityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void onlyLoginsWithAnAclGetAnything(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults().withLogDir(dir)).start()) {
            try (Admin admin = Admin.create(kafka.adminClientConfig())) {
                TopicCreator.createAll(admin, List.of(TopicSpec.of("open", 1), TopicSpec.of("closed", 1)), TIMEOUT);
            }
            ScramLogin writer = kafka.logins(List.of("writer")).get("writer");
            kafka.grant(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "open", PatternType.LITERAL),
                    new AccessControlEntry("User:writer", "*", AclOperation.WRITE, AclPermissionType.ALLOW))),
                    Set.of("User:writer"));

            // no login: the SASL listener does not even answer metadata
            Map<String, Object> anonymous = new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(), AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000));
            try (Admin nobody = Admin.create(anonymous)) {
                assertThrows(ExecutionException.class, () -> nobody.listTopics().names().get());
            }
            // a wrong password is refused by name
            Map<String, Object> wrong = new HashMap<>(producerConfig(kafka, new ScramLogin("writer", "guessed")));
            try (KafkaProducer<String, String> p = new KafkaProducer<>(wrong)) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> p.send(new ProducerRecord<>("open", "k", "v")).get());
                assertInstanceOf(SaslAuthenticationException.class, e.getCause());
            }
            // the right password: exactly what the ACL grants
            try (KafkaProducer<String, String> p = new KafkaProducer<>(producerConfig(kafka, writer))) {
                p.send(new ProducerRecord<>("open", "k", "v")).get();
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> p.send(new ProducerRecord<>("closed", "k", "v")).get());
                assertInstanceOf(TopicAuthorizationException.class, e.getCause());
            }
        }
    }

    @Test
    void credentialsAreOwnerOnlyAndSurviveARestart(@TempDir Path dir) throws Exception {
        Path logDir = dir.resolve("kafka");
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults().withLogDir(logDir);
        ScramLogin admin;
        ScramLogin writer;
        try (EmbeddedKafka kafka = new EmbeddedKafka(config).start()) {
            admin = kafka.adminLogin();
            writer = kafka.logins(List.of("writer")).get("writer");
            Path file = kafka.credentialsFile();
            assertEquals(logDir.resolve(EmbeddedKafka.CREDENTIALS_FILE_NAME), file);
            assertEquals(OwnerOnlyFiles.FILE, Files.getPosixFilePermissions(file));
            assertEquals(OwnerOnlyFiles.DIRECTORY, Files.getPosixFilePermissions(logDir));
            assertNotEquals(admin.password(), writer.password());
            assertTrue(admin.password().length() >= 32, "a random password of 192 bits");
        }
        try (EmbeddedKafka again = new EmbeddedKafka(config).start()) {
            assertEquals(admin, again.adminLogin(), "the same admin password after a restart");
            assertEquals(writer, again.logins(List.of("writer")).get("writer"));
        }
    }

    @Test
    void aFormattedLogDirWithoutItsCredentialsIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults().withLogDir(dir);
        try (EmbeddedKafka kafka = new EmbeddedKafka(config).start()) {
            Files.delete(kafka.credentialsFile());
        }
        EmbeddedKafkaException e = assertThrows(EmbeddedKafkaException.class,
                () -> new EmbeddedKafka(config).start().close());
        assertTrue(e.getMessage().contains("restore that file"), e.getMessage());
    }

    private static Map<String, Object> producerConfig(EmbeddedKafka kafka, ScramLogin login) {
        Map<String, Object> c = new HashMap<>(login.clientSettings(EmbeddedKafka.SECURITY_PROTOCOL));
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return c;
    }
}
