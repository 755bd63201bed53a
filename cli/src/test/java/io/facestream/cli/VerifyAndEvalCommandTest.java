package io.facestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify} and {@code eval} on the demo photos, whose people are known to differ. */
class VerifyAndEvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void samePhotoRescaledIsTheSamePersonAndTwoPeopleAreNot() throws IOException {
        Path a = ImageFiles.demoPhoto("sample2.jpg");
        BufferedImage full = ImageFiles.read(a);
        Path smaller = ImageFiles.scaled(full, 800, dir, "smaller.jpg");
        CliRun same = CliRun.of("verify", a.toString(), smaller.toString());
        assertEquals(0, same.exitCode(), same.err());
        assertTrue(cosine(same.out()) > 0.9, same.out());
        assertTrue(same.out().contains("same=true"), same.out());
        CliRun different = CliRun.of("verify", a.toString(), ImageFiles.demoPhoto("sample5.jpg").toString());
        assertTrue(cosine(different.out()) < 0.4, different.out());
        assertTrue(different.out().contains("same=false"), different.out());
    }

    @Test
    void verifyFailsWithAReasonWhenAnImageHasNoFace() throws IOException {
        CliRun run = CliRun.of("verify", ImageFiles.demoPhoto("sample2.jpg").toString(),
                ImageFiles.notAnImage(dir).toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("ERROR " + dir.resolve("notes.jpg")), run.err());
    }

    @Test
    void evalPrintsTheSummaryLinesAndPerPairScores() throws IOException {
        Path root = ImageFiles.demoPhoto("sample1.jpg").getParent();
        Path pairs = Files.write(dir.resolve("pairs.tsv"), List.of("left\tright\tsame",
                "sample2.jpg\tsample2.jpg\t1", "sample2.jpg\tsample5.jpg\t0", "sample5.jpg\tsample5.jpg\t1",
                "sample3.jpg\tsample5.jpg\t0"));
        Path out = dir.resolve("scores.tsv");
        CliRun run = CliRun.of("eval", "--pairs", pairs.toString(), "--root", root.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertTrue(lines[lines.length - 4].equals("pairs=4"), run.out());
        assertTrue(lines[lines.length - 3].startsWith("accuracy="), run.out());
        assertTrue(lines[lines.length - 2].equals("auc=1.0000"), run.out());
        assertTrue(lines[lines.length - 1].startsWith("threshold="), run.out());
        List<String> scores = Files.readAllLines(out);
        assertEquals(5, scores.size());
        assertTrue(scores.get(1).endsWith("\t1.000000"), "an image against itself: " + scores.get(1));
    }

    private static double cosine(String out) {
        Matcher m = Pattern.compile("cosine=([-0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }
}
