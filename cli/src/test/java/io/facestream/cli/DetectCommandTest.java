package io.facestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code detect} end to end: JSON output, annotations, and every kind of bad input among good ones. */
class DetectCommandTest {

    @TempDir
    static Path dir;
    static Path photo;
    static BufferedImage small;

    @BeforeAll
    static void photos() throws IOException {
        // One person, downscaled so the many variants below stay quick.
        BufferedImage full = ImageFiles.read(ImageFiles.demoPhoto("sample2.jpg"));
        photo = ImageFiles.scaled(full, 640, dir, "person.jpg");
        small = ImageFiles.read(photo);
    }

    @Test
    void printsOneJsonObjectPerImageAndDrawsAnnotations() throws IOException {
        Path annotated = dir.resolve("annotated");
        CliRun run = CliRun.of("detect", "--min-face", "40", "--annotate", annotated.toString(),
                ImageFiles.demoPhoto("sample1.jpg").toString(), photo.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> lines = json(run.out());
        assertEquals(2, lines.size());
        JsonNode first = lines.get(0);
        assertEquals(1920, first.path("width").asInt());
        assertEquals(1280, first.path("height").asInt());
        assertEquals(3, first.path("faces").size(), "sample1 shows three people");
        JsonNode face = first.path("faces").get(0);
        assertEquals(4, face.path("box").size());
        assertEquals(5, face.path("landmarks").size());
        assertTrue(face.path("score").asDouble() > 0.9);
        assertEquals(1, lines.get(1).path("faces").size());
        assertTrue(Files.size(annotated.resolve("sample1.png")) > 10_000);
        assertTrue(Files.isRegularFile(annotated.resolve("person.png")));
    }

    @Test
    void unusualButValidEncodingsAreDetectedLikeThePlainPhoto() throws IOException {
        Map<String, Path> variants = new HashMap<>();
        variants.put("grey", ImageFiles.grey(small, dir));
        variants.put("alpha", ImageFiles.withAlpha(small, dir));
        variants.put("16-bit", ImageFiles.sixteenBit(photo, dir));
        variants.put("cmyk", ImageFiles.cmyk(small, dir));
        List<String> args = new ArrayList<>(List.of("detect", "--min-face", "40", photo.toString()));
        variants.values().forEach(p -> args.add(p.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        List<JsonNode> lines = json(run.out());
        assertEquals(5, lines.size());
        double[] reference = box(lines.get(0));
        for (JsonNode line : lines.subList(1, lines.size())) {
            // Re-encoding can tip a marginal second detection either way; the person's face must stay put.
            assertTrue(line.path("faces").size() >= 1, line.toString());
            double[] b = box(line);
            for (int i = 0; i < 4; i++) {
                assertEquals(reference[i], b[i], 8, line.path("image").asText() + " box differs from the plain photo");
            }
        }
    }

    @Test
    void badFilesGetOneLineEachAndTheRestIsStillProcessed() throws IOException {
        Path empty = ImageFiles.empty(dir);
        Path truncated = ImageFiles.truncated(photo, dir);
        Path text = ImageFiles.notAnImage(dir);
        Path missing = dir.resolve("missing.jpg");
        CliRun run = CliRun.of("detect", "--max-pixels", "1000000", empty.toString(), photo.toString(),
                truncated.toString(), text.toString(), missing.toString(), ImageFiles.demoPhoto("sample1.jpg").toString());
        assertEquals(0, run.exitCode(), "one image was processed, so the command succeeds");
        assertEquals(1, json(run.out()).size(), run.out());
        String[] errors = run.err().strip().split("\n");
        assertEquals(5, errors.length, run.err());
        assertLine(errors[0], empty, "empty");
        assertLine(errors[1], truncated, "truncated");
        assertLine(errors[2], text, "not");
        assertLine(errors[3], missing, "no such file");
        assertLine(errors[4], ImageFiles.demoPhoto("sample1.jpg"), "limit");
    }

    @Test
    void exitsNonZeroOnlyWhenNothingCouldBeProcessed() throws IOException {
        CliRun run = CliRun.of("detect", ImageFiles.empty(dir).toString(), dir.resolve("nope.png").toString());
        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
    }

    private static void assertLine(String line, Path file, String reason) {
        assertTrue(line.startsWith("ERROR " + file + ": "), line);
        assertTrue(line.toLowerCase().contains(reason), "reason '" + reason + "' missing in: " + line);
    }

    private static double[] box(JsonNode line) {
        JsonNode b = line.path("faces").get(0).path("box");
        return new double[] {b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble()};
    }

    static List<JsonNode> json(String out) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            if (!line.isBlank()) {
                nodes.add(mapper.readTree(line));
            }
        }
        return nodes;
    }
}
