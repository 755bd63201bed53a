package io.facestream.cli.pipeline;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.security.CredentialsFile;
import io.facestream.kafka.security.ScramLogin;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a command-line Kafka client logs in: SASL/SCRAM-SHA-512 as {@code --kafka-username} (the camera principal
 * by default), with the password from {@code --kafka-password-file}, else {@code FACESTREAM_KAFKA_PASSWORD},
 * else the credentials file of the local {@code ./facestream run} (its data dir). A password is never an
 * option: command lines are visible to every local user.
 */
public final class KafkaLoginOptions {

    @Option(names = "--kafka-security-protocol",
            defaultValue = "${env:FACESTREAM_KAFKA_SECURITY_PROTOCOL:-SASL_PLAINTEXT}",
            description = "SASL_PLAINTEXT, SASL_SSL, or PLAINTEXT for a broker without authentication "
                    + "(default: ${DEFAULT-VALUE}).")
    String securityProtocol;

    @Option(names = "--kafka-username", defaultValue = "${env:FACESTREAM_KAFKA_USERNAME:-facestream-camera}",
            description = "SCRAM user (default: ${DEFAULT-VALUE}).")
    String username;

    @Option(names = "--kafka-password-file", defaultValue = "${env:FACESTREAM_KAFKA_PASSWORD_FILE}",
            description = "File holding the password (default: $FACESTREAM_KAFKA_PASSWORD_FILE, else "
                    + "$FACESTREAM_KAFKA_PASSWORD, else the login in --kafka-credentials-file).")
    Path passwordFile;

    @Option(names = "--kafka-credentials-file",
            defaultValue = "${env:FACESTREAM_DATA_DIR:-.cache/run}/kafka/" + EmbeddedKafka.CREDENTIALS_FILE_NAME,
            description = "Credentials file of a local './facestream run' (default: ${DEFAULT-VALUE}).")
    Path credentialsFile;

    /** The client settings for {@code bootstrapServers}, logged in as configured. */
    KafkaClientSettings settings(String bootstrapServers) throws IOException {
        KafkaClientSettings plain = KafkaClientSettings.of(bootstrapServers).with("security.protocol", securityProtocol);
        if (!securityProtocol.startsWith("SASL_")) {
            return plain;
        }
        return KafkaClientSettings.of(bootstrapServers).withLogin(securityProtocol, login());
    }

    private ScramLogin login() throws IOException {
        if (passwordFile != null) {
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8).stripTrailing();
            return new ScramLogin(username, password);
        }
        String fromEnvironment = System.getenv("FACESTREAM_KAFKA_PASSWORD");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return new ScramLogin(username, fromEnvironment);
        }
        if (!Files.exists(credentialsFile)) {
            throw new IOException("no Kafka password: give --kafka-password-file or FACESTREAM_KAFKA_PASSWORD, or "
                    + "--kafka-credentials-file of a running './facestream run' (not found: " + credentialsFile + ")");
        }
        return CredentialsFile.read(credentialsFile, username);
    }
}
