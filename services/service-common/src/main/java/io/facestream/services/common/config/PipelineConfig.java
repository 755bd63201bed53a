package io.facestream.services.common.config;

import io.facestream.core.quality.QualityGate;
import io.facestream.kafka.security.CredentialsFile;
import io.facestream.kafka.security.ScramLogin;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every service shares: where Kafka is and how to log in to it, how the camera-keyed topics are
 * partitioned, where the models are, and this instance's name.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param partitions partitions of the camera-keyed topics
 * @param modelDir directory of the verified model files
 * @param instanceId unique per running instance (transactional ids derive from it)
 * @param maxPixels images with more pixels are rejected before decoding
 * @param enrollmentMinFaceSize enrollment gate (enrollment, gallery additions, training labels): smallest face
 *     box side, pixels
 * @param enrollmentMinSharpness enrollment gate: smallest variance of the Laplacian of the aligned crop
 * @param enrollmentMinFrontality enrollment gate: smallest frontality, in [0, 1]
 * @param enrollmentMinScore enrollment gate: smallest overall quality score, in [0, 1]
 * @param enrollmentLowResolutionSize each enrolled photo also gives a sample of its face degraded to this many
 *     pixels, so small camera faces meet a sample of their own resolution; 0 (default): none, because it also
 *     raises impostor scores of small faces (README, "Tracks and sightings")
 * @param detectorEngine what runs MTCNN: {@code tflite} (default: the TFLite runtime with XNNPACK, about 4×
 *     faster on a CPU) or {@code pytorch} (the DJL port, on the GPU when there is one)
 * @param detectorThreads intra-op threads of each TFLite interpreter; 1 (default), because XNNPACK's spinning pool
 *     slows down beside other work on a small machine (README, "Performance")
 * @param kafkaSecurity how every Kafka client of this service authenticates ({@code facestream.kafka.*})
 */
@ConfigurationProperties(PipelineConfig.PREFIX)
public record PipelineConfig(
        @NotBlank String bootstrapServers,
        @Bindable(defaultValue = "4") @Min(1) int partitions,
        @Bindable(defaultValue = "models") @NotBlank String modelDir,
        @Bindable(defaultValue = "instance-1") @NotBlank String instanceId,
        @Bindable(defaultValue = "40000000") @Positive long maxPixels,
        @Bindable(defaultValue = "48") @Min(0) int enrollmentMinFaceSize,
        @Bindable(defaultValue = "40") @DecimalMin("0") double enrollmentMinSharpness,
        @Bindable(defaultValue = "0.2") @DecimalMin("0") @DecimalMax("1") double enrollmentMinFrontality,
        @Bindable(defaultValue = "0.4") @DecimalMin("0") @DecimalMax("1") double enrollmentMinScore,
        @Bindable(defaultValue = "0") @Min(0) @Max(112) int enrollmentLowResolutionSize,
        @Bindable(defaultValue = "tflite") @Pattern(regexp = "tflite|pytorch") String detectorEngine,
        @Bindable(defaultValue = "1") @Min(1) @Max(64) int detectorThreads,
        @NotNull @Valid KafkaSecurity kafkaSecurity) {

    public static final String PREFIX = "facestream";

    /**
     * The settings every Kafka client of {@code service} is built from ({@link KafkaClientSettings}): the
     * bootstrap servers, the security protocol and, over SASL, the service's own SCRAM login.
     *
     * @throws IllegalStateException if SASL is on and no login for {@code service} is configured, or its
     *                               password file cannot be read (the message names the setting)
     */
    public KafkaClientSettings kafka(ServicePrincipal service) {
        return kafkaSecurity.apply(KafkaClientSettings.of(bootstrapServers), service);
    }

    /**
     * How the services log in to Kafka: SASL/SCRAM-SHA-512 by default, with no default password. A service
     * run on its own (compose, k8s) has one login, {@code username} with {@code password} or
     * {@code password-file}; the all-in-one JVM instead names the embedded broker's {@code credentials-file},
     * from which each service takes the login of its own principal ({@link ServicePrincipal#username()}), so
     * every service keeps its own least-privilege identity in one process and no password passes through the
     * configuration.
     *
     * @param securityProtocol {@code SASL_PLAINTEXT} (default; loopback or a private network), {@code SASL_SSL}
     *                         (TLS where the broker offers it), or {@code PLAINTEXT}/{@code SSL} for a broker
     *                         without authentication (an explicit opt-out)
     * @param saslMechanism {@code SCRAM-SHA-512} (default) or {@code SCRAM-SHA-256}
     * @param username the SCRAM user of this service
     * @param password its password (prefer {@code password-file}: a mounted secret, not an environment variable)
     * @param passwordFile a file holding the password (trailing whitespace ignored)
     * @param credentialsFile an embedded broker's credentials file ({@code <username>=<password>} lines)
     * @param truststoreFile PEM file of the CA that signed the brokers' certificates, for {@code SASL_SSL}/{@code SSL}
     *                       (without it the JVM's trust store is used)
     */
    @ConfigurationProperties(KafkaSecurity.PREFIX)
    public record KafkaSecurity(
            @Bindable(defaultValue = "SASL_PLAINTEXT") @Pattern(regexp = "PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL")
            String securityProtocol,
            @Bindable(defaultValue = ScramLogin.MECHANISM) @Pattern(regexp = "SCRAM-SHA-512|SCRAM-SHA-256")
            String saslMechanism,
            @Nullable String username,
            @Nullable String password,
            @Nullable String passwordFile,
            @Nullable String credentialsFile,
            @Nullable String truststoreFile) {

        /** Relative to {@link PipelineConfig#PREFIX}: {@code facestream.kafka.*}, {@code FACESTREAM_KAFKA_*}. */
        public static final String PREFIX = "kafka";

        KafkaClientSettings apply(KafkaClientSettings base, ServicePrincipal service) {
            KafkaClientSettings settings = base.with("security.protocol", securityProtocol);
            if (truststoreFile != null && !truststoreFile.isBlank()) {
                settings = settings.with("ssl.truststore.type", "PEM").with("ssl.truststore.location", truststoreFile);
            }
            if (!securityProtocol.startsWith("SASL_")) {
                return settings;
            }
            return settings.withLogin(securityProtocol, login(service)).with("sasl.mechanism", saslMechanism);
        }

        private ScramLogin login(ServicePrincipal service) {
            if (credentialsFile != null && !credentialsFile.isBlank()) {
                try {
                    return CredentialsFile.read(Path.of(credentialsFile), service.username());
                } catch (IOException e) {
                    throw new IllegalStateException("Kafka login of " + service.username() + ": " + e.getMessage(), e);
                }
            }
            if (username == null || username.isBlank()) {
                throw new IllegalStateException("Kafka uses " + securityProtocol + " but no login is configured: set "
                        + "FACESTREAM_KAFKA_USERNAME and FACESTREAM_KAFKA_PASSWORD_FILE (or FACESTREAM_KAFKA_PASSWORD), "
                        + "or FACESTREAM_KAFKA_SECURITY_PROTOCOL=PLAINTEXT for a broker without authentication");
            }
            boolean hasPassword = password != null && !password.isEmpty();
            boolean hasFile = passwordFile != null && !passwordFile.isBlank();
            if (hasPassword == hasFile) {
                throw new IllegalStateException("Kafka user " + username + ": set exactly one of "
                        + "FACESTREAM_KAFKA_PASSWORD and FACESTREAM_KAFKA_PASSWORD_FILE");
            }
            return new ScramLogin(username, hasPassword ? password : readPassword(Path.of(passwordFile)));
        }

        private String readPassword(Path file) {
            try {
                String secret = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
                if (secret.isEmpty()) {
                    throw new IllegalStateException("Kafka password file " + file + " of " + username + " is empty");
                }
                return secret;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the Kafka password file " + file + " of " + username, e);
            }
        }

        @Override
        public String toString() {
            return "KafkaSecurity[securityProtocol=" + securityProtocol + ", saslMechanism=" + saslMechanism
                    + ", username=" + username + ", password=" + (password == null ? "unset" : "***")
                    + ", passwordFile=" + passwordFile + ", credentialsFile=" + credentialsFile
                    + ", truststoreFile=" + truststoreFile + "]";
        }
    }

    /** The stricter of the two quality gates: what may stand for a person in the gallery or the training set. */
    public QualityGate enrollmentGate() {
        return new QualityGate(enrollmentMinFaceSize, enrollmentMinSharpness, enrollmentMinFrontality,
                enrollmentMinScore);
    }
}
