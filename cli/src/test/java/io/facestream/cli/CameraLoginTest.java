package io.facestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The camera refuses to start without a Kafka login rather than connecting anonymously. */
class CameraLoginTest {

    @Test
    void withoutAPasswordTheCameraStopsBeforeConnecting(@TempDir Path dir) throws Exception {
        Path image = Files.writeString(dir.resolve("frame.jpg"), "not read");
        String err = stderrOf(() -> assertEquals(2, CliRun.of("camera", "--camera", "door", "--source",
                image.toString(), "--kafka-credentials-file", dir.resolve("missing.properties").toString()).exitCode()));
        assertTrue(err.contains("ERROR Kafka login: no Kafka password") && err.contains("--kafka-password-file"), err);
    }

    @Test
    void aCredentialsFileWithoutTheUserIsRefusedToo(@TempDir Path dir) throws Exception {
        Path image = Files.writeString(dir.resolve("frame.jpg"), "not read");
        Path credentials = Files.writeString(dir.resolve("credentials.properties"), "facestream-detector=x\n");
        Files.setPosixFilePermissions(credentials, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String err = stderrOf(() -> assertEquals(2, CliRun.of("camera", "--camera", "door", "--source",
                image.toString(), "--kafka-credentials-file", credentials.toString()).exitCode()));
        assertTrue(err.contains("has no login for facestream-camera"), err);
    }

    /** What the command printed to System.err (the camera reports there, like the other commands). */
    private static String stderrOf(Runnable body) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
