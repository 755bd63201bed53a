package io.facestream.inference.mtcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.Point2;
import io.facestream.core.similarity.Embedding;
import io.facestream.inference.analysis.AlignedFace;
import io.facestream.inference.analysis.AnalyzedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.Npy;
import io.facestream.inference.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/**
 * The whole pipeline on {@code golden/real_sample1} (960×640, three faces) against the reference port in
 * {@code pipeline_summary.json}. Resizers differ between implementations, so detection is compared with
 * tolerances (IoU ≥ 0.9, landmarks within 3 px); alignment and embedding from the same landmarks are
 * compared tightly.
 */
class RealSampleTest {

    private static Path dir;
    private static JsonNode reference;
    private static Mat image;
    private static float[] referenceEmbeddings;

    @BeforeAll
    static void load() throws IOException {
        dir = SharedData.require("models/golden/real_sample1");
        reference = new ObjectMapper().readTree(dir.resolve("pipeline_summary.json").toFile());
        image = Detection.rgb(Npy.read(dir.resolve("image_rgb_u8.npy")));
        referenceEmbeddings = Npy.read(dir.resolve("embeddings_l2norm_aligned.npy")).floats();
    }

    @Test
    void detectsTheThreeFacesWhereTheReferenceDoes() {
        JsonNode faces = reference.path("min_face_sizes").path("40").path("faces");
        List<AnalyzedFace> found = Detection.analyzer(MtcnnConfig.DEFAULT.withMinFaceSize(40)).analyze(image);
        assertEquals(3, found.size(), "faces found");
        for (int k = 0; k < faces.size(); k++) {
            BoundingBox want = box(faces.get(k).path("box"));
            AnalyzedFace got = found.stream().max(Comparator.comparingDouble(f -> f.face().box().iou(want)))
                    .orElseThrow();
            DetectedFace face = got.face();
            assertTrue(face.box().iou(want) >= 0.9, "face " + k + " IoU " + face.box().iou(want));
            Landmarks5 ref = landmarks(faces.get(k).path("landmarks"));
            for (int j = 0; j < 5; j++) {
                double off = face.landmarks().get(j).distanceTo(ref.get(j));
                assertTrue(off <= 3, "face " + k + " landmark " + j + " off by " + off);
            }
            // The reference rounds landmarks to whole pixels before aligning; this port keeps sub-pixel ones.
            double cosine = got.embedding().cosine(referenceEmbedding(k));
            assertTrue(cosine >= 0.995, "face " + k + " end-to-end embedding cosine " + cosine);
            System.out.printf("face %d: IoU %.3f, end-to-end cosine %.4f%n", k, face.box().iou(want), cosine);
        }
    }

    @Test
    void alignsAndEmbedsLikeTheReferenceFromTheSameLandmarks() throws IOException {
        JsonNode faces = reference.path("min_face_sizes").path("40").path("faces");
        Npy crops = Npy.read(dir.resolve("faces_aligned_arcface_112_u8.npy"));
        FaceAnalyzer analyzer = Detection.analyzer(MtcnnConfig.DEFAULT);
        List<Mat> aligned = new ArrayList<>();
        for (int k = 0; k < faces.size(); k++) {
            DetectedFace face = new DetectedFace(box(faces.get(k).path("box")), 1, landmarks(faces.get(k).path("landmarks")));
            AlignedFace a = FaceAnalyzer.align(image, face);
            double[][] m = a.transform().matrix();
            JsonNode refMatrix = reference.path("similarity_matrices").get(k);
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(refMatrix.get(r).get(c).asDouble(), m[r][c], 1e-6, "matrix " + k);
                }
            }
            byte[] mine = new byte[112 * 112 * 3];
            a.crop().get(0, 0, mine);
            byte[] theirs = java.util.Arrays.copyOfRange(crops.bytes(), k * mine.length, (k + 1) * mine.length);
            double meanAbs = 0;
            for (int i = 0; i < mine.length; i++) {
                meanAbs += Math.abs((mine[i] & 0xFF) - (theirs[i] & 0xFF));
            }
            meanAbs /= mine.length;
            assertTrue(meanAbs < 2.0, "face " + k + " aligned crop mean abs pixel difference " + meanAbs);
            aligned.add(a.crop());
        }
        List<Embedding> embeddings = analyzer.embedder().embed(aligned);
        for (int k = 0; k < embeddings.size(); k++) {
            double cosine = embeddings.get(k).cosine(referenceEmbedding(k));
            assertTrue(cosine >= 0.995, "face " + k + " aligned-crop embedding cosine " + cosine);
            System.out.printf("face %d: aligned-crop embedding cosine %.5f%n", k, cosine);
        }
    }

    @Test
    void pyramidHasTheReferenceLevels() {
        for (String minFace : new String[] {"40", "192"}) {
            JsonNode levels = reference.path("min_face_sizes").path(minFace).path("levels");
            List<Double> scales = MtcnnDetector.pyramidScales(960, 640,
                    MtcnnConfig.DEFAULT.withMinFaceSize(Integer.parseInt(minFace)));
            assertEquals(levels.size(), scales.size(), "levels at min face " + minFace);
            for (int i = 0; i < scales.size(); i++) {
                assertEquals(levels.get(i).path("scale").asDouble(), scales.get(i), 1e-6);
                assertArrayEquals(new long[] {levels.get(i).path("resized_hw").get(0).asLong(),
                    levels.get(i).path("resized_hw").get(1).asLong()},
                        new long[] {Math.round(640 * scales.get(i)), Math.round(960 * scales.get(i))});
            }
        }
    }

    private static Embedding referenceEmbedding(int k) {
        float[] e = new float[192];
        System.arraycopy(referenceEmbeddings, 192 * k, e, 0, 192);
        return Embedding.normalise(e);
    }

    private static BoundingBox box(JsonNode b) {
        return new BoundingBox(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble());
    }

    private static Landmarks5 landmarks(JsonNode l) {
        List<Point2> p = new ArrayList<>();
        for (JsonNode xy : l) {
            p.add(new Point2(xy.get(0).asDouble(), xy.get(1).asDouble()));
        }
        return new Landmarks5(p);
    }
}
