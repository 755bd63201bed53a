package io.facestream.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaConfigTest {

    @Test
    void defaultsAreTempDirFreePortNoOverrides() {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults();

        assertNull(config.logDir());
        assertEquals(0, config.port());
        assertEquals(Map.of(), config.overrides());
    }

    @Test
    void withersKeepTheOtherFields() {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults()
                .withLogDir(Path.of("/tmp/k"))
                .withPort(19092)
                .withOverride("log.retention.ms", "1000");

        assertEquals(new EmbeddedKafkaConfig(Path.of("/tmp/k"), 19092, Map.of("log.retention.ms", "1000")), config);
    }

    @Test
    void badPortsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedKafkaConfig.defaults().withPort(-1));
        assertThrows(IllegalArgumentException.class, () -> EmbeddedKafkaConfig.defaults().withPort(70_000));
    }
}
