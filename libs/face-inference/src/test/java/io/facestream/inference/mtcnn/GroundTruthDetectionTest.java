package io.facestream.inference.mtcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.Point2;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MTCNN (default settings) against the hand-drawn boxes of {@code faces-dev/groundtruth_dlib} (9 PASCAL VOC
 * photos, 43 faces) and the 68-point iBUG landmarks given for each box, reduced to MTCNN's five points.
 * Reference port: 42/43 boxes found at IoU ≥ 0.4, mean landmark error 0.067 of the inter-ocular distance.
 */
class GroundTruthDetectionTest {

    private static final double MIN_IOU = 0.4;
    private static final int MIN_MATCHED = 42;
    private static final double MAX_MEAN_LANDMARK_ERROR = 0.08;

    /** One annotated face: its box and, derived from its 68 landmarks, the five MTCNN points. */
    record Annotated(String image, int index, BoundingBox box, Landmarks5 landmarks) {
    }

    /** A ground-truth face and the detection matched to it, if any. */
    record Match(Annotated truth, Optional<DetectedFace> found, double iou) {
    }

    private static final List<Match> MATCHES = new ArrayList<>();

    @BeforeAll
    static void detectAndMatch() throws IOException, ImageDecodeException {
        Path dir = SharedData.require("faces-dev/groundtruth_dlib");
        Map<String, List<Annotated>> truth = readAnnotations(dir);
        MtcnnDetector detector = Detection.detector(MtcnnConfig.DEFAULT);
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        for (Map.Entry<String, List<Annotated>> e : truth.entrySet()) {
            try (DecodedImage image = decoder.read(dir.resolve("images").resolve(e.getKey()))) {
                List<DetectedFace> found = detector.detect(image.rgb());
                MATCHES.addAll(matchGreedily(e.getValue(), found));
                System.out.printf("%s: %d annotated, %d detected%n", e.getKey(), e.getValue().size(), found.size());
            }
        }
    }

    @Test
    void findsAlmostEveryAnnotatedFace() {
        assertEquals(43, MATCHES.size(), "annotated faces");
        long matched = MATCHES.stream().filter(m -> m.iou() >= MIN_IOU).count();
        MATCHES.stream().filter(m -> m.iou() < MIN_IOU).forEach(m -> System.out.printf(
                "  missed %s #%d %s (best IoU %.2f)%n", m.truth().image(), m.truth().index(), m.truth().box(), m.iou()));
        System.out.printf("recall at IoU >= %.1f: %d/%d%n", MIN_IOU, matched, MATCHES.size());
        assertTrue(matched >= MIN_MATCHED, "matched " + matched + " of " + MATCHES.size());
    }

    @Test
    void placesTheFiveLandmarksWithin8PercentOfTheEyeDistance() {
        double sum = 0;
        int n = 0;
        for (Match m : MATCHES) {
            if (m.iou() >= MIN_IOU) {
                sum += normalisedError(m.found().orElseThrow().landmarks(), m.truth().landmarks());
                n++;
            }
        }
        double mean = sum / n;
        System.out.printf("mean 5-point landmark error over %d matched faces: %.4f of the inter-ocular distance%n",
                n, mean);
        assertTrue(mean <= MAX_MEAN_LANDMARK_ERROR, "mean landmark error " + mean);
    }

    /** Mean distance of the five points, divided by the ground truth's inter-ocular distance. */
    static double normalisedError(Landmarks5 found, Landmarks5 truth) {
        double sum = 0;
        for (int i = 0; i < Landmarks5.COUNT; i++) {
            sum += found.get(i).distanceTo(truth.get(i));
        }
        return sum / Landmarks5.COUNT / truth.interOcularDistance();
    }

    /** Pairs each annotated face with the unclaimed detection overlapping it most, best overlaps first. */
    static List<Match> matchGreedily(List<Annotated> truth, List<DetectedFace> found) {
        record Overlap(int t, int f, double iou) {
        }
        List<Overlap> overlaps = new ArrayList<>();
        for (int t = 0; t < truth.size(); t++) {
            for (int f = 0; f < found.size(); f++) {
                overlaps.add(new Overlap(t, f, truth.get(t).box().iou(found.get(f).box())));
            }
        }
        overlaps.sort((a, b) -> Double.compare(b.iou(), a.iou()));
        Match[] best = new Match[truth.size()];
        boolean[] claimed = new boolean[found.size()];
        for (Overlap o : overlaps) {
            if (best[o.t()] == null && !claimed[o.f()] && o.iou() > 0) {
                best[o.t()] = new Match(truth.get(o.t()), Optional.of(found.get(o.f())), o.iou());
                claimed[o.f()] = true;
            }
        }
        for (int t = 0; t < truth.size(); t++) {
            if (best[t] == null) {
                best[t] = new Match(truth.get(t), Optional.empty(), 0);
            }
        }
        return Arrays.asList(best);
    }

    /**
     * Reads {@code boxes.tsv} ({@code image left top width height ignore source_xml}) and {@code landmarks.tsv}
     * ({@code image box_index part x y source_xml}, parts "00".."67" of the 0-based iBUG scheme, box_index
     * counting the boxes of one image in file order).
     */
    static Map<String, List<Annotated>> readAnnotations(Path dir) throws IOException {
        Map<String, List<BoundingBox>> boxes = new LinkedHashMap<>();
        for (String[] f : rows(dir.resolve("boxes.tsv"))) {
            assertEquals("0", f[5], "ignored boxes are not expected: " + String.join(" ", f));
            double x = Double.parseDouble(f[1]);
            double y = Double.parseDouble(f[2]);
            boxes.computeIfAbsent(f[0], k -> new ArrayList<>()).add(
                    new BoundingBox(x, y, x + Double.parseDouble(f[3]), y + Double.parseDouble(f[4])));
        }
        Map<String, double[][]> points = new LinkedHashMap<>();
        for (String[] f : rows(dir.resolve("landmarks.tsv"))) {
            double[][] p = points.computeIfAbsent(f[0] + "#" + f[1], k -> new double[68][]);
            p[Integer.parseInt(f[2])] = new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[4])};
        }
        Map<String, List<Annotated>> out = new LinkedHashMap<>();
        boxes.forEach((image, list) -> {
            for (int i = 0; i < list.size(); i++) {
                double[][] p = points.get(image + "#" + i);
                assertTrue(p != null && Arrays.stream(p).allMatch(xy -> xy != null), "68 landmarks for " + image + " #" + i);
                out.computeIfAbsent(image, k -> new ArrayList<>()).add(new Annotated(image, i, list.get(i), fivePoints(p)));
            }
        });
        assertEquals(points.size(), out.values().stream().mapToInt(List::size).sum(), "one landmark set per box");
        return out;
    }

    /**
     * MTCNN's five points from the 68 iBUG ones: eye centres as the means of 36–41 and 42–47 (the image-left
     * eye comes first), nose tip 30, mouth corners 48 and 54.
     */
    static Landmarks5 fivePoints(double[][] p) {
        return new Landmarks5(List.of(mean(p, 36, 41), mean(p, 42, 47), point(p[30]), point(p[48]), point(p[54])));
    }

    private static Point2 mean(double[][] p, int from, int to) {
        double x = 0;
        double y = 0;
        for (int i = from; i <= to; i++) {
            x += p[i][0];
            y += p[i][1];
        }
        int n = to - from + 1;
        return new Point2(x / n, y / n);
    }

    private static Point2 point(double[] xy) {
        return new Point2(xy[0], xy[1]);
    }

    private static List<String[]> rows(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(l -> l.split("\t")).toList();
    }
}
