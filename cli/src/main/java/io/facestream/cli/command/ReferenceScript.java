package io.facestream.cli.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A user's own reference script for {@code bench --reference-python}: {@code python3 SCRIPT IMAGE} runs the same
 * weights in Python on the benchmark photo and prints {@code key=value} lines; {@code detect_ms} and
 * {@code embed_faces_per_s_b32} are read, the rest is ignored. The project ships no such script (it would need
 * PyTorch for Python, which this project does not install); without one, {@code bench} prints the figures
 * recorded when the Java port was first compared.
 */
final class ReferenceScript {

    /** The script's whole run, model loading included, must fit in this. */
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** Output beyond this is not read: a reference prints a few lines. */
    static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private ReferenceScript() {
    }

    /** The figures a script printed, by key. */
    static Map<String, Double> run(Path script, Path image) throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            throw new IOException("no reference script " + script);
        }
        Path log = Files.createTempFile("facestream-reference-", ".txt");
        try {
            Process p = new ProcessBuilder("python3", script.toString(), image.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(script + " ran longer than " + TIMEOUT.toMinutes() + " minutes");
            }
            byte[] bytes = Files.readAllBytes(log);
            String text = new String(bytes, 0, Math.min(bytes.length, MAX_OUTPUT_BYTES), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(script + " exited with " + p.exitValue() + ": " + text.strip());
            }
            return figures(text.lines().toList());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** {@code key=value} lines with a numeric value; others are skipped. */
    static Map<String, Double> figures(List<String> lines) {
        Map<String, Double> out = new HashMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                out.put(line.substring(0, eq).strip(), Double.parseDouble(line.substring(eq + 1).strip()));
            } catch (NumberFormatException e) {
                // Not a figure.
            }
        }
        return out;
    }
}
