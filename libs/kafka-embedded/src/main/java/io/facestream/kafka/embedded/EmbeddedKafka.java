package io.facestream.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.facestream.kafka.security.AclSync;
import io.facestream.kafka.security.CredentialsFile;
import io.facestream.kafka.security.OwnerOnlyFiles;
import io.facestream.kafka.security.ScramLogin;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft broker and controller in one process) on 127.0.0.1, for tests and the local demo.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
 *     Map<String, Object> admin = kafka.adminClientConfig();   // bootstrap servers + the admin's SCRAM login
 *     ...  // close every client before the broker
 * }
 * }</pre>
 *
 * <p><b>Secure by default.</b> Clients connect over SASL_PLAINTEXT with SCRAM-SHA-512 (loopback only, so no
 * TLS: nothing leaves the machine) and the KRaft {@code StandardAuthorizer} decides every request, with
 * {@code allow.everyone.if.no.acl.found=false}: a client without a login gets no metadata and no records, and a
 * login gets only what its ACLs grant ({@link #logins}, {@link #grant}). The admin login
 * ({@link #ADMIN_USER}, a super user; the broker also uses it for its own requests to itself, e.g. transaction
 * markers) is added to the metadata when the log dir is formatted. Its password, and those of the logins made
 * later, are random and kept in an owner-only credentials file ({@link #credentialsFile()}), so a restart on the
 * same log dir uses the same passwords. The controller listener uses SASL PLAIN with a password made for each
 * start and never written down (SCRAM cannot authenticate the controller: its credentials live in the metadata
 * the controller serves). The log dir is created owner-only (0700).
 *
 * <p>Topics are not auto-created; create them with {@code io.facestream.kafka.topics.TopicCreator}. Transactions
 * (Kafka Streams exactly-once v2) and compacted topics work.
 *
 * <p>The cluster id is fixed ({@link #CLUSTER_ID}) and an already formatted log dir is left as it is, so a new
 * instance on the same {@link EmbeddedKafkaConfig#logDir()} sees the data of the previous one.
 *
 * <p><b>Close clients first.</b> The broker's own close does not wait for clients (about 0.3-0.8 s either way),
 * but a client that still has work for the broker when it goes away waits out its close timeout: a group
 * consumer with auto-commit on took 30 s to close after the broker had stopped (producer and admin: under 20 ms).
 * Kafka Streams and Micronaut listeners commit on close too. So close the clients, the Streams app or the
 * application context that owns them before {@link #close()}; if that order is impossible, close them with a
 * short timeout, e.g. {@code consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)))}.
 *
 * <p>An instance starts once; it is not thread-safe.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The fixed cluster id that every embedded broker formats with (base64 of 16 bytes). */
    public static final String CLUSTER_ID = "RmFjZVN0cmVhbUVtYmVkZA";

    /** How long {@link #start()} waits for the broker to answer {@code describeCluster}. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final String BROKER_LISTENER = "CLIENT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    /** Clients authenticate with SCRAM over plain TCP: the listener is bound to loopback only. */
    public static final String SECURITY_PROTOCOL = "SASL_PLAINTEXT";

    /** The super user: administers topics, users and ACLs, and is the broker's own identity on its listener. */
    public static final String ADMIN_USER = "facestream-admin";

    /** The broker's identity towards its controller (PLAIN, a password per start); a super user too. */
    private static final String CONTROLLER_USER = "facestream-controller";
    /** The credentials file's name in the log dir, unless the config names another file. */
    public static final String CREDENTIALS_FILE_NAME = "facestream-credentials.properties";
    private static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final Duration READY_POLL = Duration.ofMillis(100);

    private final EmbeddedKafkaConfig config;
    private Path logDir;
    private Path temporaryRoot;
    private CredentialsFile credentials;
    private ScramLogin admin;
    private String controllerPassword;
    private int port;
    private int controllerPort;
    private KafkaRaftServer server;
    private State state = State.NEW;

    private enum State { NEW, RUNNING, CLOSED }

    public EmbeddedKafka(EmbeddedKafkaConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Starts with {@link #DEFAULT_START_TIMEOUT}. */
    public EmbeddedKafka start() {
        return start(DEFAULT_START_TIMEOUT);
    }

    /**
     * Formats the log dir if needed, starts the broker and returns once it answers {@code describeCluster}.
     *
     * @throws IllegalStateException  if called twice
     * @throws EmbeddedKafkaException if the broker fails to start or to answer within {@code timeout}; what was
     *                                started is shut down again (and a temp log dir deleted)
     */
    public EmbeddedKafka start(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (state != State.NEW) {
            throw new IllegalStateException("EmbeddedKafka can start only once; it is " + state);
        }
        state = State.RUNNING;
        long begin = System.nanoTime();
        try {
            prepareLogDir();
            prepareCredentials();
            pickPorts();
            KafkaConfig kafkaConfig = new KafkaConfig(brokerProperties(), false);
            format(kafkaConfig);
            server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            server.startup();
            awaitDescribeCluster(timeout.minusNanos(System.nanoTime() - begin));
        } catch (EmbeddedKafkaException e) {
            closeQuietly(e);
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(e);
            throw new EmbeddedKafkaException("Embedded Kafka failed to start on " + HOST + ":" + port
                    + " (log dir " + logDir + "): " + rootCause(e), e);
        } catch (Error e) {
            closeQuietly(e);
            throw e;
        }
        LOG.info("Embedded Kafka up at {} (log dir {}) in {} ms",
                bootstrapServers(), logDir, Duration.ofNanos(System.nanoTime() - begin).toMillis());
        return this;
    }

    /** The super user's login (see {@link #ADMIN_USER}). */
    public ScramLogin adminLogin() {
        requireStarted();
        return admin;
    }

    /** The client settings of the admin login: security protocol, mechanism and JAAS line. */
    public Map<String, String> adminLoginSettings() {
        return adminLogin().clientSettings(SECURITY_PROTOCOL);
    }

    /**
     * Bootstrap servers and the admin login: a complete config for {@code Admin.create}, and the base of a
     * test's producer or consumer.
     */
    public Map<String, Object> adminClientConfig() {
        Map<String, Object> config = new LinkedHashMap<>(adminLoginSettings());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** The owner-only file holding this broker's SCRAM logins (the operator reads it to connect a client). */
    public Path credentialsFile() {
        requireStarted();
        return credentials.path();
    }

    /**
     * The logins of {@code usernames}: a password is made for a new one and kept in the credentials file, and
     * each credential is set on the broker (so a password changed in the file takes effect now). Returns once
     * every login authenticates. The admin login is not one of them: it is made when the log dir is
     * formatted.
     */
    public Map<String, ScramLogin> logins(Collection<String> usernames) {
        requireRunning();
        if (usernames.contains(ADMIN_USER)) {
            throw new IllegalArgumentException(ADMIN_USER + " is the broker's own login; it is not re-created");
        }
        try {
            Map<String, ScramLogin> logins = credentials.ensure(usernames);
            try (Admin client = Admin.create(adminClientConfig())) {
                AclSync.upsertUsers(client, logins.values(), DEFAULT_START_TIMEOUT);
            }
            for (ScramLogin login : logins.values()) {
                awaitAuthenticates(login, DEFAULT_START_TIMEOUT);
            }
            return logins;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the Kafka credentials file " + credentials.path(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while adding Kafka users " + usernames, e);
        }
    }

    /**
     * Makes the ACLs of every principal in {@code managedPrincipals} (e.g. {@code User:facestream-detector})
     * exactly {@code acls}, and returns once the broker enforces them.
     */
    public void grant(Collection<AclBinding> acls, Set<String> managedPrincipals) {
        requireRunning();
        try (Admin client = Admin.create(adminClientConfig())) {
            AclSync.apply(client, acls, managedPrincipals, DEFAULT_START_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while creating ACLs", e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        requireStarted();
        return HOST + ":" + port;
    }

    /** The client (SASL_PLAINTEXT) port. */
    public int port() {
        requireStarted();
        return port;
    }

    /** The log dir in use: the configured one, or the temp dir that {@link #close()} deletes. */
    public Path logDir() {
        requireStarted();
        return logDir;
    }

    /** Shuts the broker down and waits for it; deletes a temp log dir. Safe to call more than once. */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        long begin = System.nanoTime();
        try {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
        } finally {
            server = null;
            if (temporaryRoot != null) {
                deleteRecursively(temporaryRoot);
            }
        }
        LOG.info("Embedded Kafka stopped in {} ms", Duration.ofNanos(System.nanoTime() - begin).toMillis());
    }

    private void prepareLogDir() throws IOException {
        if (config.logDir() == null) {
            temporaryRoot = OwnerOnlyFiles.createTempDirectory("facestream-kafka-");
            logDir = temporaryRoot;
        } else {
            // Frames, face crops and the gallery are personal data: no other local user may read them.
            logDir = OwnerOnlyFiles.createDirectories(config.logDir());
        }
    }

    /**
     * Reads (or starts) the credentials file and makes sure it has an admin login. A log dir formatted before
     * has its admin credential in the metadata already; without the file that held its password nobody could
     * log in, so that is an error that says what to do rather than a broker nobody can use.
     */
    private void prepareCredentials() throws IOException {
        // In the log dir by default: the passwords belong to that data (deleting it starts afresh), and Kafka
        // reads only the folders and its own files there.
        Path file = config.credentialsFile() != null ? config.credentialsFile().toAbsolutePath()
                : logDir.resolve(CREDENTIALS_FILE_NAME);
        credentials = CredentialsFile.open(file);
        boolean formatted = Files.exists(logDir.resolve("meta.properties"));
        if (formatted && credentials.login(ADMIN_USER).isEmpty()) {
            throw new EmbeddedKafkaException("Kafka log dir " + logDir + " was formatted with an admin login whose "
                    + "password is not in " + file + "; restore that file, or delete the log dir to start empty",
                    null);
        }
        admin = credentials.ensure(List.of(ADMIN_USER)).get(ADMIN_USER);
        controllerPassword = CredentialsFile.randomPassword();
    }

    private void pickPorts() throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            port = config.port() != 0 ? config.port() : holdFreePort(held);
            controllerPort = holdFreePort(held);
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    /** Binds port 0 and keeps the socket open so that a second call cannot get the same port. */
    private static int holdFreePort(Collection<ServerSocket> held) throws IOException {
        ServerSocket socket = new ServerSocket();
        held.add(socket);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        return socket.getLocalPort();
    }

    /** The properties of a one-node cluster; the config's overrides go last. */
    Map<String, String> brokerProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + port);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":" + SECURITY_PROTOCOL + ","
                + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        putSecurity(p);
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());
        // One node: every internal topic has one replica, and one partition where that is allowed.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // Compaction on, with a small dedupe buffer: the 128 MB default costs heap and seconds of startup.
        p.put("log.cleaner.enable", "true");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.putAll(config.overrides());
        return p;
    }

    /** SCRAM for clients, PLAIN towards the controller, the KRaft authorizer, deny unless an ACL allows. */
    private void putSecurity(Map<String, String> p) {
        String client = "listener.name." + BROKER_LISTENER.toLowerCase(Locale.ROOT) + ".";
        p.put("sasl.enabled.mechanisms", ScramLogin.MECHANISM);
        p.put(client + "sasl.enabled.mechanisms", ScramLogin.MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", ScramLogin.MECHANISM);
        // the login the broker itself uses on its client listener (inter-broker requests to itself)
        p.put(client + "scram-sha-512.sasl.jaas.config", admin.jaasConfig());
        String controller = "listener.name." + CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".";
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put(controller + "sasl.enabled.mechanisms", "PLAIN");
        p.put(controller + "plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + CONTROLLER_USER
                        + "\" password=\"" + controllerPassword + "\" user_" + CONTROLLER_USER + "=\""
                        + controllerPassword + "\";");
        p.put("authorizer.class.name", AUTHORIZER);
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + ADMIN_USER + ";User:" + CONTROLLER_USER);
    }

    private void format(KafkaConfig kafkaConfig) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(NODE_ID)
                    .setClusterId(CLUSTER_ID)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(kafkaConfig.metadataLogDir())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    // the admin exists from the first metadata record on: the broker needs it to reach itself
                    .setScramArguments(List.of(ScramLogin.MECHANISM + "=[name=" + ADMIN_USER + ",password="
                            + admin.password() + "]"))
                    .setIgnoreFormatted(true)
                    .run();
        }
        LOG.debug("Formatter: {}", output.toString(StandardCharsets.UTF_8).strip());
    }

    private void awaitDescribeCluster(Duration timeout) throws InterruptedException {
        awaitDescribeCluster(admin, timeout);
    }

    /** Waits until {@code login} authenticates (a credential set a moment ago reaches the broker's cache soon). */
    private void awaitAuthenticates(ScramLogin login, Duration timeout) throws InterruptedException {
        awaitDescribeCluster(login, timeout);
    }

    private void awaitDescribeCluster(ScramLogin login, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        Exception last = null;
        Map<String, Object> clientConfig = new LinkedHashMap<>(login.clientSettings(SECURITY_PROTOCOL));
        clientConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + port);
        clientConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        clientConfig.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        try (Admin client = Admin.create(clientConfig)) {
            while (System.nanoTime() < deadline) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                try {
                    Collection<Node> nodes = client.describeCluster(
                                    new DescribeClusterOptions().timeoutMs((int) Math.max(1, Math.min(remainingMs, 5000))))
                            .nodes().get();
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    last = e;
                }
                Thread.sleep(READY_POLL.toMillis());
            }
        }
        throw new EmbeddedKafkaException("Embedded Kafka at " + HOST + ":" + port + " (log dir " + logDir
                + ") did not answer describeCluster as " + login.username() + " within " + timeout.toMillis() + " ms"
                + (last == null ? "" : "; last error: " + last.getCause()), last);
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + ", caused by " + root;
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("EmbeddedKafka is " + state + ", not running");
        }
    }

    private void requireStarted() {
        if (state == State.NEW) {
            throw new IllegalStateException("EmbeddedKafka is not started");
        }
    }

    private void closeQuietly(Throwable cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete embedded Kafka log dir {}: {}", root, e.toString());
        }
    }
}
