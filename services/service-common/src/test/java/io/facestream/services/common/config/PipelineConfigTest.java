package io.facestream.services.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.security.CredentialsFile;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {

    private static PipelineConfig config(PipelineConfig.KafkaSecurity security) {
        return new PipelineConfig("broker:9092", 4, "models", "i-1", 40_000_000, 48, 40, 0.2, 0.4, 20, "tflite", 1, security);
    }

    private static PipelineConfig.KafkaSecurity sasl(String username, String password, String passwordFile,
            String credentialsFile) {
        return new PipelineConfig.KafkaSecurity("SASL_PLAINTEXT", "SCRAM-SHA-512", username, password, passwordFile,
                credentialsFile, null);
    }

    @Test
    void saslWithoutALoginStopsWithTheVariablesToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> config(sasl(null, null, null, null)).kafka(ServicePrincipal.DETECTOR));
        assertTrue(e.getMessage().contains("FACESTREAM_KAFKA_USERNAME"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> config(sasl("facestream-detector", "a", "/run/secrets/p", null)).kafka(ServicePrincipal.DETECTOR),
                "a password and a password file at once");
    }

    @Test
    void aPasswordFileBecomesTheScramLoginOfEveryClient(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "s3cret-from-a-secret\n");
        KafkaClientSettings kafka = config(sasl("facestream-detector", null, file.toString(), null))
                .kafka(ServicePrincipal.DETECTOR);
        for (var p : List.of(kafka.admin(), kafka.producer(), kafka.groupConsumer("detector", 1 << 20),
                kafka.streams())) {
            assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
            String jaas = String.valueOf(p.get("sasl.jaas.config"));
            assertTrue(jaas.contains("username=\"facestream-detector\" password=\"s3cret-from-a-secret\""), jaas);
        }
        assertFalse(config(sasl("u", "visible", null, null)).toString().contains("visible"),
                "the password never shows in toString");
    }

    @Test
    void theCredentialsFileGivesEachServiceItsOwnPrincipal(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("credentials.properties");
        var logins = CredentialsFile.open(file).ensure(List.of("facestream-detector", "facestream-matcher"));
        PipelineConfig shared = config(sasl(null, null, null, file.toString()));
        assertTrue(String.valueOf(shared.kafka(ServicePrincipal.MATCHER).common().get("sasl.jaas.config"))
                .contains(logins.get("facestream-matcher").password()));
        assertTrue(String.valueOf(shared.kafka(ServicePrincipal.DETECTOR).common().get("sasl.jaas.config"))
                .contains("username=\"facestream-detector\""));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> shared.kafka(ServicePrincipal.RETRAINER));
        assertTrue(e.getMessage().contains("facestream-retrainer"), e.getMessage());
    }

    @Test
    void plaintextIsAnExplicitOptOut() {
        KafkaClientSettings kafka = config(new PipelineConfig.KafkaSecurity("PLAINTEXT", "SCRAM-SHA-512", null, null,
                null, null, null)).kafka(ServicePrincipal.INGEST);
        assertEquals("PLAINTEXT", kafka.common().get("security.protocol"));
        assertFalse(kafka.common().containsKey("sasl.jaas.config"));
    }

    @Test
    void theEnvironmentNamesOfTheIssueBindToTheNestedRecord() {
        try (ApplicationContext ctx = ApplicationContext.builder().properties(Map.of(
                "facestream.bootstrap-servers", "broker:9092",
                "facestream.kafka.username", "facestream-ingest",
                "facestream.kafka.password-file", "/run/secrets/kafka",
                "facestream.kafka.security-protocol", "SASL_SSL")).start()) {
            PipelineConfig.KafkaSecurity security = ctx.getBean(PipelineConfig.class).kafkaSecurity();
            assertEquals("facestream-ingest", security.username());
            assertEquals("/run/secrets/kafka", security.passwordFile());
            assertEquals("SASL_SSL", security.securityProtocol());
            assertEquals("SCRAM-SHA-512", security.saslMechanism(), "the default mechanism");
        }
    }
}
