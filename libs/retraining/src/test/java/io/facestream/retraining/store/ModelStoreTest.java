package io.facestream.retraining.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir
    Path dir;

    @Test
    void storesTheArtifactWithItsReportUnderAnImmutableVersionAndAnnouncesItsSha256() throws Exception {
        Path out = Files.createDirectories(dir.resolve("job-out"));
        Path params = Files.write(out.resolve("finetuned.params"), new byte[] {1, 2, 3, 4});
        Files.writeString(out.resolve("report.json"), "{}");
        Files.writeString(out.resolve("report.md"), "# report");
        Files.write(out.resolve("roc.png"), new byte[] {(byte) 0x89, 'P'});
        Files.writeString(out.resolve("scratch.tmp"), "not part of a version");
        ModelStore store = new ModelStore(dir.resolve("store"));

        ModelStore.StoredModel v = store.put("mfn", "v2", params, out);

        assertEquals(dir.resolve("store/mfn/v2/model.params"), v.artifact());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3, 4})),
                v.sha256());
        assertTrue(v.artifactUri().startsWith("file:"));
        try (Stream<Path> files = Files.list(v.directory())) {
            assertEquals(List.of("model.params", "report.json", "report.md", "roc.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> left = Files.list(dir.resolve("store/mfn"))) {
            assertEquals(List.of("v2"), left.map(p -> p.getFileName().toString()).toList(), "no temporary folder");
        }
        assertThrows(IllegalStateException.class, () -> store.put("mfn", "v2", params, out), "versions are immutable");
        store.annotate(v, "gate.txt", "REJECTED: reasons\n");
        assertEquals("REJECTED: reasons\n", Files.readString(v.directory().resolve("gate.txt")));
        assertThrows(IllegalArgumentException.class, () -> store.put("mfn", "../escape", params, out));
        assertFalse(Files.exists(dir.resolve("store/escape")));
    }
}
