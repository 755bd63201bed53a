package io.facestream.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract with a user's reference script: key=value figures read back, failures reported with the output. */
class ReferenceScriptTest {

    @TempDir
    Path dir;

    @Test
    void readsTheFiguresAndSkipsEverythingElse() {
        Map<String, Double> f = ReferenceScript.figures(List.of("loading weights...", "detect_ms=98.5",
                "embed_faces_per_s_b32 = 70", "device=cpu", "=3"));
        assertEquals(Map.of("detect_ms", 98.5, "embed_faces_per_s_b32", 70.0), f);
    }

    /** Running a script needs python3: CI installs it (with docker-compose); elsewhere the test says why it skips. */
    private static void requirePython() {
        boolean present;
        try {
            present = new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("python3 is not on the PATH of this CI machine");
        }
        Assumptions.assumeTrue(present, "python3 is not on the PATH: the reference script cannot run");
    }

    @Test
    void runsTheScriptWithTheImage() throws Exception {
        requirePython();
        Path script = dir.resolve("ref.py");
        Files.writeString(script, "import sys\nprint('image=' + sys.argv[1])\nprint('detect_ms=' + str(len(sys.argv)))\n");
        assertEquals(2.0, ReferenceScript.run(script, dir.resolve("photo.jpg")).get("detect_ms"));
    }

    @Test
    void aFailingScriptIsAnErrorWithItsOutput() throws Exception {
        requirePython();
        Path script = dir.resolve("bad.py");
        Files.writeString(script, "import sys\nprint('no torch here')\nsys.exit(3)\n");
        IOException e = assertThrows(IOException.class, () -> ReferenceScript.run(script, dir.resolve("photo.jpg")));
        assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("no torch here"), e.getMessage());
        assertThrows(IOException.class, () -> ReferenceScript.run(dir.resolve("missing.py"), dir));
    }
}
