package io.facestream.kafka.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start an {@link EmbeddedKafka}.
 *
 * @param logDir    where the broker keeps its data; {@code null} means a fresh temp dir that is deleted on close.
 *                  Start a second broker on the same dir to get the data back.
 * @param port      the PLAINTEXT port clients connect to on 127.0.0.1; {@code 0} picks a free one. The controller
 *                  port is always picked automatically.
 * @param overrides broker properties applied last, over the single-node defaults of {@link EmbeddedKafka}
 *                  (e.g. {@code log.retention.ms}). Do not set listeners, ports or security here; use
 *                  {@code port}.
 * @param credentialsFile where the broker keeps its SCRAM logins (see {@code CredentialsFile});
 *                  {@code null} means {@code facestream-credentials.properties} in the log dir
 */
public record EmbeddedKafkaConfig(Path logDir, int port, Map<String, String> overrides, Path credentialsFile) {

    public EmbeddedKafkaConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (pick a free one) or 1..65535, was " + port);
        }
        Objects.requireNonNull(overrides, "overrides");
        overrides.forEach((key, value) -> {
            Objects.requireNonNull(key, "override key");
            Objects.requireNonNull(value, () -> "override value for " + key);
        });
        overrides = Map.copyOf(overrides);
    }

    /** The credentials file in the log dir. */
    public EmbeddedKafkaConfig(Path logDir, int port, Map<String, String> overrides) {
        this(logDir, port, overrides, null);
    }

    /** A temp log dir, a free port and no overrides. */
    public static EmbeddedKafkaConfig defaults() {
        return new EmbeddedKafkaConfig(null, 0, Map.of());
    }

    /** The same config with data kept in {@code dir} (not deleted on close). */
    public EmbeddedKafkaConfig withLogDir(Path dir) {
        return new EmbeddedKafkaConfig(Objects.requireNonNull(dir, "dir"), port, overrides, credentialsFile);
    }

    /** The same config listening on {@code newPort} (0 = free port). */
    public EmbeddedKafkaConfig withPort(int newPort) {
        return new EmbeddedKafkaConfig(logDir, newPort, overrides, credentialsFile);
    }

    /** The same config with the SCRAM logins kept in {@code file}. */
    public EmbeddedKafkaConfig withCredentialsFile(Path file) {
        return new EmbeddedKafkaConfig(logDir, port, overrides, Objects.requireNonNull(file, "file"));
    }

    /** The same config with one more broker property override. */
    public EmbeddedKafkaConfig withOverride(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(overrides);
        merged.put(key, value);
        return new EmbeddedKafkaConfig(logDir, port, merged, credentialsFile);
    }
}
