package io.facestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.inference.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} on raw photos of three faces-dev identities: imports, fine-tunes two steps, prints and writes. */
class TrainCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainsOnAPhotoFolderAndPrintsTheBeforeAndAfterLines() throws IOException {
        Path johns = SharedData.require("faces-dev/dlib_johns");
        Path data = dir.resolve("data");
        for (String id : List.of("John_Salley", "John_Savage", "John_Simm")) {
            Path to = Files.createDirectories(data.resolve(id));
            try (Stream<Path> files = Files.list(johns.resolve(id))) {
                for (Path f : files.sorted().limit(6).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("train", "--data", data.toString(), "--out", out.toString(), "--steps", "2",
                "--batch-size", "4", "--balancing", "BALANCED_SAMPLING");
        assertEquals(0, run.exitCode(), run.err());
        for (String name : List.of("macro_f1_before", "macro_f1_after", "verification_accuracy_before",
                "verification_accuracy_after")) {
            assertTrue(Pattern.compile("(?m)^" + name + "=\\d\\.\\d{4}$").matcher(run.out()).find(), name + " in " + run.out());
        }
        assertTrue(run.err().contains("imported 18 faces"), run.err());
        assertTrue(run.err().contains("2/2 loss"), "progress bar: " + run.err());
        for (String f : List.of("report.json", "report.md", "confusion.png", "roc.png", "pr.png",
                "mobilefacenet-finetuned.params")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
    }

    @Test
    void contradictoryBalancingOptionsAreRefused() {
        CliRun run = CliRun.of("train", "--data", dir.toString(), "--out", dir.resolve("out").toString(),
                "--no-class-weights", "--balancing", "CLASS_WEIGHTS");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("contradicts"), run.err());
    }
}
