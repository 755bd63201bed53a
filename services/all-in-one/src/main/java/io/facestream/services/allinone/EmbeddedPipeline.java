package io.facestream.services.allinone;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.security.OwnerOnlyFiles;
import io.facestream.kafka.security.ScramLogin;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.access.AccessPolicy;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.model.ModelKeys;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.security.PasswordHash;
import io.facestream.services.common.security.Roles;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The whole system in one JVM: an in-process KRaft broker, every topic created explicitly, and one Micronaut
 * context holding every service (ingest, detector, embedder, matcher with enrollment and the matches API,
 * dashboard, retrainer).
 *
 * <p>Kafka is secured as in a deployment: the broker takes only SCRAM logins and its authorizer the ACLs of
 * {@link AccessPolicy}. Each service has its own principal, whose random password is in the broker's
 * owner-only credentials file ({@link #credentialsFile()}); the services read their own login from it
 * ({@code facestream.kafka.credentials-file}). The data dir and the broker's log dir are owner-only (0700).
 */
public final class EmbeddedPipeline implements AutoCloseable {

    static final String JWT_SECRET = "micronaut.security.token.jwt.signatures.secret.generator.secret";
    /** The dashboard's service account on the matcher; made per start, with a random password. */
    public static final String DASHBOARD_ACCOUNT = "dashboard-service";

    /** Configuration properties of one account (see {@code UserAccount}); the password is stored hashed. */
    public static Map<String, Object> account(String name, String password, String... roles) {
        return Map.of("facestream.security.users." + name + ".password-hash", PasswordHash.hash(password),
                "facestream.security.users." + name + ".roles", java.util.List.of(roles));
    }

    private final EmbeddedKafka broker;
    private final Map<String, ScramLogin> logins;
    private final ApplicationContext context;

    private EmbeddedPipeline(EmbeddedKafka broker, Map<String, ScramLogin> logins, ApplicationContext context) {
        this.broker = broker;
        this.logins = logins;
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
        try {
            // frames, crops, the gallery and the stream state are personal data: no other local user reads them
            OwnerOnlyFiles.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data dir " + dataDir, e);
        }
        EmbeddedKafka broker = new EmbeddedKafka(EmbeddedKafkaConfig.defaults().withLogDir(dataDir.resolve("kafka"))
                .withPort(kafkaPort)).start();
        try {
            Topics topics = new Topics(4);
            try (Admin admin = Admin.create(broker.adminClientConfig())) {
                TopicCreator.createAll(admin, topics.specs(), Duration.ofSeconds(30));
            }
            Object applicationId = extra.getOrDefault("facestream.matcher.application-id",
                    AccessPolicy.MATCHER_APPLICATION_ID);
            AccessPolicy policy = new AccessPolicy(topics, String.valueOf(applicationId));
            Map<String, ScramLogin> logins = broker.logins(Arrays.stream(ServicePrincipal.values())
                    .map(ServicePrincipal::username).toList());
            broker.grant(policy.bindings(), policy.principals());
            Map<String, Object> props = new HashMap<>();
            props.put("facestream.bootstrap-servers", broker.bootstrapServers());
            // each service takes its own principal's login from the broker's credentials file
            props.put("facestream.kafka.security-protocol", EmbeddedKafka.SECURITY_PROTOCOL);
            props.put("facestream.kafka.credentials-file", broker.credentialsFile().toString());
            props.put("facestream.partitions", topics.partitions());
            props.put("facestream.model-dir", modelDir.toString());
            props.put("facestream.matcher.state-dir", dataDir.resolve("matcher-state").toString());
            // next to the broker's logs, whose gallery offsets its commits hold
            props.put("facestream.gallery-index.directory", dataDir.resolve("gallery-index").toString());
            props.put("facestream.search.dir", dataDir.resolve("history").toString());
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
            // The dashboard's service account on the matcher (same server here): an operator account whose
            // random password exists only in this JVM, for the gallery writes the dashboard asks for.
            String dashboardPassword = PasswordHash.randomPassword();
            props.putAll(account(DASHBOARD_ACCOUNT, dashboardPassword, Roles.OPERATOR));
            props.put("facestream.dashboard.matcher.username", DASHBOARD_ACCOUNT);
            props.put("facestream.dashboard.matcher.password", dashboardPassword);
            props.putAll(extra);
            ApplicationContext context = ApplicationContext.builder().properties(props).start();
            context.findBean(EmbeddedServer.class).ifPresent(server -> {
                if (!server.isRunning()) {
                    server.start();
                }
            });
            return new EmbeddedPipeline(broker, logins, context);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Client settings of the broker's admin (a super user: tests that read or write any topic). */
    public KafkaClientSettings kafka() {
        return KafkaClientSettings.of(broker.bootstrapServers())
                .withLogin(EmbeddedKafka.SECURITY_PROTOCOL, broker.adminLogin());
    }

    /** Client settings of one principal, e.g. {@link ServicePrincipal#CAMERA} for a camera agent. */
    public KafkaClientSettings kafka(ServicePrincipal principal) {
        return KafkaClientSettings.of(broker.bootstrapServers())
                .withLogin(EmbeddedKafka.SECURITY_PROTOCOL, logins.get(principal.username()));
    }

    /** Bootstrap servers and the admin login, for a test's own producer or consumer. */
    public Map<String, Object> adminClientConfig() {
        return broker.adminClientConfig();
    }

    /** The broker's owner-only file of SCRAM logins ({@code <username>=<password>}). */
    public Path credentialsFile() {
        return broker.credentialsFile();
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
