package io.facestream.cli.pipeline;

import io.facestream.services.allinone.EmbeddedPipeline;
import java.nio.file.Path;
import java.util.Map;
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
        System.err.println("Starting FaceStream (broker, ingest, detector, embedder, matcher) ...");
        EmbeddedPipeline pipeline = EmbeddedPipeline.start(dataDir, modelDir, port, kafkaPort, Map.of());
        String url = pipeline.baseUrl();
        System.err.printf("FaceStream is up: Kafka %s, HTTP %s%n", pipeline.bootstrapServers(), url);
        System.err.printf("  send a frame:      curl -X POST -H 'Content-Type: image/jpeg' --data-binary @photo.jpg"
                + " '%s/api/v1/frames?camera=door'%n", url);
        System.err.printf("  recent matches:    curl %s/api/v1/matches?limit=10%n", url);
        System.err.printf("  live matches:      curl -N %s/api/v1/matches/stream%n", url);
        System.err.printf("  identities:        curl %s/api/v1/identities%n", url);
        System.err.printf("  health, metrics:   %s/health  %s/prometheus%n", url, url);
        return pipeline;
    }
}
