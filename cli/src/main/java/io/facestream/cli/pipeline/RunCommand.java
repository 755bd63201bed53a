package io.facestream.cli.pipeline;

import io.facestream.services.allinone.EmbeddedPipeline;
import io.facestream.services.common.security.PasswordHash;
import io.facestream.services.common.security.Roles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: the in-process broker and every service, until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the broker and every service in this JVM (HTTP API on --port) until Ctrl-C.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--data-dir", defaultValue = "${env:FACESTREAM_DATA_DIR:-.cache/run}",
            description = "Broker logs and stream state, kept across runs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--model-dir", defaultValue = "${env:FACESTREAM_MODEL_DIR:-models}",
            description = "Verified model files (default: ${DEFAULT-VALUE}).")
    Path modelDir;

    @Override
    public Integer call() throws InterruptedException {
        try (EmbeddedPipeline pipeline = start(dataDir, modelDir, port, kafkaPort)) {
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }

    static EmbeddedPipeline start(Path dataDir, Path modelDir, int port, int kafkaPort) {
        System.err.println("Starting FaceStream (broker, ingest, detector, embedder, matcher, dashboard, retrainer) ...");
        // The embedded modes have one operator account; its password comes from the environment or is made
        // here and shown once. Only its hash reaches the configuration.
        String password = System.getenv("FACESTREAM_OPERATOR_PASSWORD");
        boolean generated = password == null || password.isBlank();
        if (generated) {
            password = PasswordHash.randomPassword();
        }
        Map<String, Object> props = new HashMap<>(EmbeddedPipeline.account("operator", password, Roles.OPERATOR));
        referencePairs().ifPresent(pairs -> {
            // The retrainer's gate also checks candidates on this fixed pair set (README, "Retraining").
            props.put("facestream.retrainer.reference-pairs", pairs.toString());
            System.err.println("Retraining gate: reference pairs " + pairs);
        });
        EmbeddedPipeline pipeline = EmbeddedPipeline.start(dataDir, modelDir, port, kafkaPort, props);
        String url = pipeline.baseUrl();
        System.err.printf("FaceStream is up: Kafka %s, dashboard %s%n", pipeline.bootstrapServers(), url);
        System.err.printf("  Kafka logins (SASL/SCRAM-SHA-512, one per service; owner-only file): %s%n",
                pipeline.credentialsFile());
        System.err.printf("  log in as 'operator' with password %s%n",
                generated ? password + " (generated for this start; set FACESTREAM_OPERATOR_PASSWORD to choose one)"
                        : "from FACESTREAM_OPERATOR_PASSWORD");
        System.err.printf("  send a frame:      curl -u operator:PASSWORD -X POST -H 'Content-Type: image/jpeg'"
                + " --data-binary @photo.jpg '%s/api/v1/frames?camera=door'%n", url);
        System.err.printf("  recent matches:    curl -u operator:PASSWORD %s/api/v1/matches?limit=10%n", url);
        System.err.printf("  live matches:      curl -u operator:PASSWORD -N %s/api/v1/matches/stream%n", url);
        System.err.printf("  health, metrics:   %s/health  %s/prometheus%n", url, url);
        return pipeline;
    }

    /** faces-dev's pair list when ../shared is there and no other list is configured. */
    private static Optional<Path> referencePairs() {
        if (System.getenv("FACESTREAM_RETRAINER_REFERENCE_PAIRS") != null) {
            return Optional.empty(); // the configuration reads it itself
        }
        Path pairs = Path.of(System.getenv().getOrDefault("FACESTREAM_SHARED_DIR", "../shared"), "faces-dev",
                "pairs_all.tsv");
        return Files.isRegularFile(pairs) ? Optional.of(pairs.toAbsolutePath().normalize()) : Optional.empty();
    }
}
