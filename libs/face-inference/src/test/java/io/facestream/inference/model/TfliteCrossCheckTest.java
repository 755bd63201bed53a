package io.facestream.inference.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.inference.analysis.AlignedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.SharedModels;
import io.facestream.inference.testing.TestModels;
import io.facestream.inference.testing.TfliteReference;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.tensor.ImageTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opencv.core.Mat;

/**
 * The DJL ports against the <em>real</em> TFLite 2.6.2 runtime ({@link TfliteReference}) on real face photos from
 * {@code shared/faces-dev}, complementing {@link NetworkGoldenTest} (stored random inputs and one photo).
 *
 * <p>Inputs are built here, not read from golden files: PNet on resized real images (odd and even sizes), RNet and
 * ONet on batches of 24×24 / 48×48 crops around the faces this project's detector finds (exact, shifted, enlarged
 * and shrunk squares, plus background crops), MobileFaceNet on the ArcFace-aligned 112×112 crops of those faces.
 * TFLite gets the NHWC tensor the original app fed it (MTCNN: width and height swapped, built by an explicit index
 * loop); the DJL side gets the tensor laid out the way the production code lays it out, so a layout mistake in
 * either place shows up as a mismatch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TfliteCrossCheckTest {

    /** A fixed, deterministic choice across five sets: colour and grey, portraits, groups, tight chips. */
    private static final String[] IMAGES = {
        "human_samples/person_vlado/person-vlado.jpg",
        "human_samples/stock_emotions_a/stock-emotions-a-1.jpg",
        "face_recognition/kit_harington/john1.jpeg",
        "face_recognition/alex_lacamoire/alex-lacamoire.png",
        "groundtruth_dlib/images/2008_001322.jpg",
        "groundtruth_dlib/images/2007_007763.jpg",
        "dlib_johns/John_Salley/000179_02159509.jpg",
        "bbt_faceapi/amy/amy1.png",
    };

    /** Longest side the photos are brought down to before anything else, to keep the test fast. */
    private static final int MAX_SIDE = 640;
    /** Chips smaller than this are padded (edge replication) so MTCNN has context around the face. */
    private static final int CHIP_SIDE = 200;

    private static final double MTCNN_TOLERANCE = 1e-4;
    private static final double EMBEDDING_TOLERANCE = 2e-4;
    private static final double MIN_COSINE = 0.99999;

    private final List<Sample> samples = new ArrayList<>();
    private TfliteReference pnetRef;
    private TfliteReference rnetRef;
    private TfliteReference onetRef;
    private TfliteReference mfnRef;

    /** One working image (downscaled or padded copy of the photo) and the faces detected in it. */
    private record Sample(String name, Mat rgb, List<DetectedFace> faces) {
    }

    @BeforeAll
    void load() throws ImageDecodeException {
        Path root = SharedData.require("faces-dev");
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        MtcnnDetector detector = Detection.detector(MtcnnConfig.DEFAULT);
        for (String name : IMAGES) {
            Mat rgb;
            try (DecodedImage decoded = decoder.read(root.resolve(name))) {
                rgb = working(decoded.rgb());
            }
            List<DetectedFace> faces = detector.detect(rgb);
            samples.add(new Sample(name, rgb, faces));
            System.out.printf("%s: %dx%d, %d face(s)%n", name, rgb.cols(), rgb.rows(), faces.size());
        }
        pnetRef = TfliteReference.open(TestModels.require("pnet.tflite"));
        rnetRef = TfliteReference.open(TestModels.require("rnet.tflite"));
        onetRef = TfliteReference.open(TestModels.require("onet.tflite"));
        mfnRef = TfliteReference.open(TestModels.require("MobileFaceNet.tflite"));
    }

    private static Mat working(Mat rgb) {
        int w = rgb.cols(), h = rgb.rows();
        int longest = Math.max(w, h);
        if (longest > MAX_SIDE) {
            double s = (double) MAX_SIDE / longest;
            return ImageTensors.resize(rgb, (int) Math.round(w * s), (int) Math.round(h * s));
        }
        if (longest < CHIP_SIDE) {
            return ImageTensors.padReplicate(rgb, 0.25);
        }
        return rgb.clone();
    }

    @AfterAll
    void release() {
        samples.forEach(s -> s.rgb().release());
        for (TfliteReference r : new TfliteReference[] {pnetRef, rnetRef, onetRef, mfnRef}) {
            if (r != null) {
                r.close();
            }
        }
    }

    @Test
    void everyChosenImageHasAFace() {
        for (Sample s : samples) {
            assertFalse(s.faces().isEmpty(), s.name() + ": no face found, the crops below would not cover it");
        }
    }

    @Test
    void pnetMatchesOnRealPyramidLevels() {
        Network pnet = SharedModels.get().pnet();
        double[] maxDiff = new double[2];
        int levels = 0;
        for (Sample s : samples) {
            int w = s.rgb().cols(), h = s.rgb().rows();
            // Three pyramid-like levels: scale 0.3 (what MTCNN uses for ~40 px faces), an odd-sized one, and a
            // small one near PNet's 12 px minimum.
            int[][] sizes = {
                {(int) Math.round(w * 0.3), (int) Math.round(h * 0.3)},
                {(int) (w * 0.173) | 1, (int) (h * 0.173) | 1},
                {Math.max(12, (int) Math.round(w * 0.06)) | 1, Math.max(12, (int) Math.round(h * 0.06))},
            };
            for (int[] size : sizes) {
                int lw = size[0], lh = size[1];
                Mat level = ImageTensors.resize(s.rgb(), lw, lh);
                float[] hwc;
                try {
                    hwc = ImageTensors.normalisedHwc(level);
                } finally {
                    level.release();
                }
                float[][] want = pnetRef.run(swapHw(hwc, 1, lh, lw), new int[] {1, lw, lh, 3});
                int[][] wantShapes = pnetRef.outputShapes();
                try (NDManager m = pnet.newCallManager()) {
                    // As MtcnnDetector feeds it: [1, H, W, 3] → [1, 3, W, H].
                    NDArray input = m.create(hwc, new Shape(1, lh, lw, 3)).transpose(0, 3, 2, 1);
                    NDList out = pnet.forward(m, input);
                    assertEquals(2, out.size(), "PNet output count");
                    String label = s.name() + " @" + lw + "x" + lh;
                    for (int k = 0; k < 2; k++) {
                        double d = maxAbsDiff(label + " pnet out " + k, want[k], wantShapes[k],
                                out.get(k).transpose(0, 2, 3, 1));
                        assertTrue(d <= MTCNN_TOLERANCE, label + " pnet out " + k + ": max abs diff " + d);
                        maxDiff[k] = Math.max(maxDiff[k], d);
                    }
                }
                levels++;
            }
        }
        System.out.printf("PNet on %d real levels: max abs diff prob %.2e, bbox %.2e%n", levels, maxDiff[0],
                maxDiff[1]);
    }

    @Test
    void rnetMatchesOnRealFaceCrops() {
        crossCheckStage("RNet", SharedModels.get().rnet(), rnetRef, 24);
    }

    @Test
    void onetMatchesOnRealFaceCrops() {
        crossCheckStage("ONet", SharedModels.get().onet(), onetRef, 48);
    }

    private void crossCheckStage(String label, Network net, TfliteReference ref, int size) {
        List<Mat> crops = new ArrayList<>();
        try {
            for (Sample s : samples) {
                for (int[] box : stageBoxes(s)) {
                    crops.add(ImageTensors.cropResized(s.rgb(), box[0], box[1], box[2], box[3], size));
                }
            }
            int n = crops.size();
            int per = size * size * 3;
            float[] nhwc = new float[n * per];
            for (int i = 0; i < n; i++) {
                ImageTensors.normalisedHwc(crops.get(i), nhwc, i * per);
            }
            float[][] want = ref.run(swapHw(nhwc, n, size, size), new int[] {n, size, size, 3});
            int[][] wantShapes = ref.outputShapes();
            double[] maxDiff = new double[want.length];
            try (NDManager m = net.newCallManager()) {
                // As MtcnnDetector feeds it: [N, H, W, 3] → [N, 3, W, H].
                NDArray input = m.create(nhwc, new Shape(n, size, size, 3)).transpose(0, 3, 2, 1);
                NDList out = net.forward(m, input);
                assertEquals(want.length, out.size(), label + " output count");
                for (int k = 0; k < want.length; k++) {
                    maxDiff[k] = maxAbsDiff(label + " out " + k, want[k], wantShapes[k], out.get(k));
                }
            }
            System.out.printf("%s on %d real crops (one batch, %.0f%% scored as faces): outputs %s, max abs diff %s%n",
                    label, n, 100 * faceShare(want[0], n), Arrays.toString(ref.outputNames()),
                    Arrays.toString(Arrays.stream(maxDiff).mapToObj(d -> String.format("%.2e", d)).toArray()));
            for (int k = 0; k < maxDiff.length; k++) {
                assertTrue(maxDiff[k] <= MTCNN_TOLERANCE, label + " out " + k + ": max abs diff " + maxDiff[k]);
            }
            // The crops must be real faces to the network, not just pixels: most exact crops score as faces.
            assertTrue(faceShare(want[0], n) > 0.2, label + " sees too few faces in the crops");
        } finally {
            crops.forEach(Mat::release);
        }
    }

    /** Fraction of the batch TFLite scores above 0.5 as a face. */
    private static double faceShare(float[] prob, int n) {
        int faces = 0;
        for (int i = 0; i < n; i++) {
            if (prob[2 * i + 1] > 0.5f) {
                faces++;
            }
        }
        return (double) faces / n;
    }

    /**
     * Inclusive square boxes per image: for each detected face (at most four) the square around its box, the
     * same shifted by a fifth of its side, enlarged by 30 % (may leave the image), shrunk to 80 %; plus one
     * background square from the top-left corner.
     */
    private static List<int[]> stageBoxes(Sample s) {
        List<int[]> boxes = new ArrayList<>();
        for (DetectedFace f : s.faces().subList(0, Math.min(4, s.faces().size()))) {
            BoundingBox b = f.box();
            double cx = (b.x1() + b.x2()) / 2, cy = (b.y1() + b.y2()) / 2;
            double side = Math.max(b.width(), b.height()) + 1;
            boxes.add(square(cx, cy, side));
            boxes.add(square(cx + side / 5, cy - side / 5, side));
            boxes.add(square(cx, cy, side * 1.3));
            boxes.add(square(cx, cy, side * 0.8));
        }
        int bg = Math.max(12, Math.min(s.rgb().cols(), s.rgb().rows()) / 4);
        boxes.add(new int[] {0, 0, bg - 1, bg - 1});
        return boxes;
    }

    private static int[] square(double cx, double cy, double side) {
        int x1 = (int) Math.round(cx - side / 2), y1 = (int) Math.round(cy - side / 2);
        int s = Math.max(1, (int) Math.round(side));
        return new int[] {x1, y1, x1 + s - 1, y1 + s - 1};
    }

    @Test
    void mobileFaceNetMatchesOnRealAlignedFaces() {
        Network mfn = SharedModels.get().mobileFaceNet();
        List<Mat> aligned = new ArrayList<>();
        try {
            for (Sample s : samples) {
                for (DetectedFace f : s.faces().subList(0, Math.min(3, s.faces().size()))) {
                    AlignedFace a = FaceAnalyzer.align(s.rgb(), f);
                    aligned.add(a.crop());
                }
            }
            int n = aligned.size();
            int per = 112 * 112 * 3;
            int d = 192;
            float[] nhwc = new float[n * per];
            for (int i = 0; i < n; i++) {
                ImageTensors.normalisedHwc(aligned.get(i), nhwc, i * per);
            }
            // TFLite: fixed batch 2, faces paired up, the last one duplicated when n is odd.
            float[] want = new float[n * d];
            for (int i = 0; i < n; i += 2) {
                int j = Math.min(i + 1, n - 1);
                float[] pair = new float[2 * per];
                System.arraycopy(nhwc, i * per, pair, 0, per);
                System.arraycopy(nhwc, j * per, pair, per, per);
                float[][] out = mfnRef.run(pair, new int[] {2, 112, 112, 3});
                assertArrayEquals(new int[] {2, d}, mfnRef.outputShapes()[0], "MobileFaceNet output shape");
                System.arraycopy(out[0], 0, want, i * d, d);
                if (j != i) {
                    System.arraycopy(out[0], d, want, j * d, d);
                }
            }
            // DJL: the whole batch at once, laid out as FaceEmbedder does.
            float[] got;
            try (NDManager m = mfn.newCallManager()) {
                NDArray input = m.create(nhwc, new Shape(n, 112, 112, 3)).transpose(0, 3, 1, 2);
                NDArray out = mfn.forward(m, input).singletonOrThrow();
                assertArrayEquals(new long[] {n, d}, out.getShape().getShape(), "DJL embedding shape");
                got = out.toFloatArray();
            }
            double maxDiff = 0, minCos = 1, maxNorm = 0;
            for (int i = 0; i < n; i++) {
                double dot = 0, ga = 0, wa = 0, diff = 0;
                for (int k = 0; k < d; k++) {
                    double g = got[i * d + k], w = want[i * d + k];
                    dot += g * w;
                    ga += g * g;
                    wa += w * w;
                    diff = Math.max(diff, Math.abs(g - w));
                }
                double cos = dot / Math.sqrt(ga * wa);
                assertTrue(diff <= EMBEDDING_TOLERANCE, "face " + i + ": raw embedding max abs diff " + diff);
                assertTrue(cos > MIN_COSINE, "face " + i + ": cosine " + cos);
                maxDiff = Math.max(maxDiff, diff);
                minCos = Math.min(minCos, cos);
                maxNorm = Math.max(maxNorm, Math.sqrt(wa));
            }
            System.out.printf("MobileFaceNet on %d real aligned faces: max abs diff %.2e (largest raw norm %.2f), "
                    + "min cosine %.9f%n", n, maxDiff, maxNorm, minCos);
            assertTrue(n >= 8, "too few aligned faces: " + n);
        } finally {
            aligned.forEach(Mat::release);
        }
    }

    /**
     * {@code [n, h, w, c=3]} → {@code [n, w, h, 3]} by explicit indexing: the MTCNN models were converted from
     * Caffe with width and height swapped, so TFLite wants each image transposed.
     */
    private static float[] swapHw(float[] nhwc, int n, int h, int w) {
        float[] out = new float[nhwc.length];
        for (int b = 0; b < n; b++) {
            int base = b * h * w * 3;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        out[base + (x * h + y) * 3 + c] = nhwc[base + (y * w + x) * 3 + c];
                    }
                }
            }
        }
        return out;
    }

    /** Checks shapes agree and returns the largest absolute difference. */
    private static double maxAbsDiff(String label, float[] want, int[] wantShape, NDArray got) {
        int[] gotShape = Arrays.stream(got.getShape().getShape()).mapToInt(v -> (int) v).toArray();
        assertArrayEquals(wantShape, gotShape, label + " shape");
        float[] g = got.toFloatArray();
        assertEquals(want.length, g.length, label + " size");
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            assertFalse(Float.isNaN(g[i]) || Float.isNaN(want[i]), label + " NaN at " + i);
            max = Math.max(max, Math.abs(g[i] - want[i]));
        }
        return max;
    }
}
