package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Each service carries what it runs, read from the resolved runtime classpath the build writes for it
 * ({@code services/<name>/target/runtime-dependencies.txt}, maven-dependency-plugin {@code list} with runtime scope,
 * services/pom.xml): no service but the all-in-one carries the Kafka broker, and the ingest and dashboard services
 * carry no libtorch (DJL PyTorch) and no OpenCV. The positive checks (the all-in-one has the broker, the detector
 * libtorch and OpenCV) show that the lists are complete enough to see them.
 */
class ServiceClasspathTest {

    /** The services with an image of their own. */
    private static final List<String> SERVICES = List.of("ingest-service", "detector-service", "embedder-service",
            "matcher-service", "retrainer-service", "dashboard-service");

    /** The broker: the Kafka server jars and our in-process wrapper of them. kafka-clients and -streams are not. */
    private static final Predicate<String> BROKER = a -> a.equals("io.facestream:kafka-embedded")
            || a.equals("org.apache.kafka:kafka_2.13") || a.equals("org.apache.kafka:kafka-server")
            || a.equals("org.apache.kafka:kafka-metadata") || a.equals("org.apache.kafka:kafka-raft")
            || a.equals("org.apache.kafka:kafka-storage") || a.endsWith("-coordinator")
            || a.equals("org.apache.kafka:kafka-server-common");
    /** libtorch and the DJL engine around it (and the TFLite engine, another native runtime). */
    private static final Predicate<String> LIBTORCH = a -> a.startsWith("ai.djl.pytorch:")
            || a.startsWith("ai.djl.tflite:");
    private static final Predicate<String> OPENCV = a -> a.equals("org.openpnp:opencv")
            || a.startsWith("org.bytedeco:opencv");

    @Test
    void noServiceButTheAllInOneCarriesTheBroker() throws IOException {
        for (String service : SERVICES) {
            assertEquals(Set.of(), matching(service, BROKER), service + " carries broker jars");
        }
        assertFalse(matching("all-in-one", BROKER).isEmpty(), "the all-in-one runs the broker");
    }

    @Test
    void theIngestServiceCarriesNoLibtorchNorOpenCv() throws IOException {
        assertEquals(Set.of(), matching("ingest-service", LIBTORCH), "libtorch in ingest-service");
        assertEquals(Set.of(), matching("ingest-service", OPENCV), "OpenCV in ingest-service");
    }

    /**
     * Holds once dashboard-service no longer depends on matcher-service (which runs enrollment, so carries DJL and
     * OpenCV); kept apart from the ingest check so each failure names its cause.
     */
    @Test
    void theDashboardServiceCarriesNoLibtorchNorOpenCv() throws IOException {
        assertEquals(Set.of(), matching("dashboard-service", LIBTORCH), "libtorch in dashboard-service");
        assertEquals(Set.of(), matching("dashboard-service", OPENCV), "OpenCV in dashboard-service");
    }

    @Test
    void theModelStagesCarryWhatTheyRun() throws IOException {
        for (String service : List.of("detector-service", "embedder-service")) {
            assertFalse(matching(service, LIBTORCH).isEmpty(), service + " runs MTCNN/MobileFaceNet on libtorch");
            assertFalse(matching(service, OPENCV).isEmpty(), service + " decodes and warps with OpenCV");
        }
    }

    /** The service's runtime artifacts ({@code groupId:artifactId}) that the predicate accepts. */
    private static Set<String> matching(String service, Predicate<String> which) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String artifact : runtimeArtifacts(service)) {
            if (which.test(artifact)) {
                out.add(artifact);
            }
        }
        return out;
    }

    /**
     * The {@code groupId:artifactId} of every runtime dependency in the list the build wrote, whose lines read
     * {@code group:artifact:type[:classifier]:version:scope} (after a header line, with optional module notes).
     */
    private static Set<String> runtimeArtifacts(String service) throws IOException {
        String dir = System.getProperty("facestream.services.dir", "..");
        Path list = Path.of(dir, service, "target", "runtime-dependencies.txt");
        assertTrue(Files.isRegularFile(list), list + " is missing: the build of services/" + service
                + " writes it (maven-dependency-plugin, phase generate-resources); build that module first");
        Set<String> artifacts = new TreeSet<>();
        for (String line : Files.readAllLines(list)) {
            String first = line.trim().split("\\s+")[0];
            String[] parts = first.split(":");
            if (parts.length >= 5) {
                artifacts.add(parts[0] + ":" + parts[1]);
            }
        }
        assertTrue(artifacts.size() > 10, "too few dependencies in " + list + ": " + artifacts);
        assertTrue(artifacts.contains("org.apache.kafka:kafka-clients"), "every service talks to Kafka: " + list);
        return artifacts;
    }
}
