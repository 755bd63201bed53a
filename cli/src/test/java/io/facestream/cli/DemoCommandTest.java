package io.facestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's first command, on a fresh machine's data: faces cut from the demo photos, then the photos streamed. */
class DemoCommandTest {

    @TempDir
    Path data;

    @Test
    void demoEnrollsStreamsAndPrintsAMatchPerFace() {
        CliRun run = CliRun.of("demo", "--exit", "--port", "0", "--kafka-port", "0", "--fps", "10",
                "--data-dir", data.toString(), "--shared-dir", data.resolve("no-shared-here").toString(),
                "--model-dir", System.getenv("FACESTREAM_MODEL_DIR"));
        assertEquals(0, run.exitCode(), run.err());
        long known = Arrays.stream(run.out().split("\n")).filter(l -> l.contains(" KNOWN ")).count();
        long unknown = Arrays.stream(run.out().split("\n")).filter(l -> l.contains(" UNKNOWN ")).count();
        // Every face of the six photos was enrolled from its own crop, so every one of them comes back KNOWN.
        assertTrue(known >= 15, run.out());
        assertEquals(0, unknown, run.out());
    }
}
