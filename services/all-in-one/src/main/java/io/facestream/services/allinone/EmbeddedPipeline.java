package io.facestream.services.allinone;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.model.ModelKeys;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.security.PasswordHash;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The whole system in one JVM: an in-process KRaft broker, every topic created explicitly, and one Micronaut
 * context holding every service (ingest, detector, embedder, matcher with enrollment and the matches API,
 * dashboard, retrainer).
 */
public final class EmbeddedPipeline implements AutoCloseable {

    static final String JWT_SECRET = "micronaut.security.token.jwt.signatures.secret.generator.secret";

    /** Configuration properties of one account (see {@code UserAccount}); the password is stored hashed. */
    public static Map<String, Object> account(String name, String password, String... roles) {
        return Map.of("facestream.security.users." + name + ".password-hash", PasswordHash.hash(password),
                "facestream.security.users." + name + ".roles", java.util.List.of(roles));
    }

    private final EmbeddedKafka broker;
    private final ApplicationContext context;

    private EmbeddedPipeline(EmbeddedKafka broker, ApplicationContext context) {
        this.broker = broker;
        this.context = context;
    }

    /**
     * @param dataDir broker logs and stream state live under it (kept across runs)
     * @param modelDir verified model files
     * @param port HTTP port (0 = any free port)
     * @param kafkaPort the broker's port (0 = any free port)
     * @param extra further configuration properties (e.g. thresholds)
     */
    public static EmbeddedPipeline start(Path dataDir, Path modelDir, int port, int kafkaPort,
            Map<String, Object> extra) {
        EmbeddedKafka broker = new EmbeddedKafka(EmbeddedKafkaConfig.defaults().withLogDir(dataDir.resolve("kafka"))
                .withPort(kafkaPort)).start();
        try {
            Topics topics = new Topics(4);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                TopicCreator.createAll(admin, topics.specs(), Duration.ofSeconds(30));
            }
            Map<String, Object> props = new HashMap<>();
            props.put("facestream.bootstrap-servers", broker.bootstrapServers());
            props.put("facestream.partitions", topics.partitions());
            props.put("facestream.model-dir", modelDir.toString());
            props.put("facestream.matcher.state-dir", dataDir.resolve("matcher-state").toString());
            props.put("facestream.retrainer.work-dir", dataDir.resolve("retrainer").toString());
            props.put("facestream.retrainer.model-store", dataDir.resolve("model-store").toString());
            // Model signing: a key pair made once per data directory and kept there (the private key 0600), so
            // versions rolled out before a restart still verify after it; the embedder and the enrollment API
            // load only what the retrainer signed, from this store.
            ModelKeys.KeyPairFiles keys = ModelKeys.ensureKeyPair(dataDir.resolve("keys"));
            props.put("facestream.retrainer.signing-key", keys.signingKey().toString());
            props.put("facestream.models.public-keys", List.of(keys.publicKey().toString()));
            props.put("facestream.models.store", dataDir.resolve("model-store").toString());
            props.put("micronaut.server.port", port);
            // Login cookies are signed with a secret made for this start: restarting logs everybody out, and no
            // secret sits in any configuration file.
            props.put(JWT_SECRET, PasswordHash.randomPassword() + PasswordHash.randomPassword());
            props.putAll(extra);
            ApplicationContext context = ApplicationContext.builder().properties(props).start();
            context.findBean(EmbeddedServer.class).ifPresent(server -> {
                if (!server.isRunning()) {
                    server.start();
                }
            });
            return new EmbeddedPipeline(broker, context);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Client settings for the in-process broker (plain connections). */
    public KafkaClientSettings kafka() {
        return KafkaClientSettings.of(broker.bootstrapServers());
    }

    public ApplicationContext context() {
        return context;
    }

    /** Base URL of the HTTP API, e.g. {@code http://localhost:8080}. */
    public String baseUrl() {
        return context.getBean(EmbeddedServer.class).getURL().toString();
    }

    /** Stops the services first (their clients commit and leave), then the broker. */
    @Override
    public void close() {
        try {
            context.close();
        } finally {
            broker.close();
        }
    }
}
