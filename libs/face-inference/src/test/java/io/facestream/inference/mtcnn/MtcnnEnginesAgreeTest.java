package io.facestream.inference.mtcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.SharedModels;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.tensor.ImageTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opencv.core.Mat;

/**
 * The detector's two engines on real faces-dev photos: the TFLite/XNNPACK networks ({@link FaceModels#mtcnn()}) and
 * the PyTorch port ({@link FaceModels#pytorchMtcnn()}), which the golden tests check layer by layer. Their outputs
 * through {@link MtcnnNetworks} — layouts and the W/H swap included — must agree to the golden tolerance, and the
 * detector must find the same faces with either. Also checks that concurrent callers get their own interpreters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MtcnnEnginesAgreeTest {

    private static final String[] IMAGES = {
        "human_samples/stock_emotions_a/stock-emotions-a-1.jpg",
        "face_recognition/kit_harington/john1.jpeg",
        "groundtruth_dlib/images/2008_001322.jpg",
        "groundtruth_dlib/images/2007_007763.jpg",
        "bbt_faceapi/amy/amy1.png",
    };
    private static final double TOLERANCE = 1e-4;

    private final List<Mat> images = new ArrayList<>();
    private MtcnnNetworks tflite;
    private MtcnnNetworks pytorch;

    @BeforeAll
    void load() throws ImageDecodeException {
        Path root = SharedData.require("faces-dev");
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        for (String name : IMAGES) {
            try (DecodedImage d = decoder.read(root.resolve(name))) {
                Mat rgb = d.rgb();
                int longest = Math.max(rgb.cols(), rgb.rows());
                double s = Math.min(1, 640.0 / longest);
                images.add(ImageTensors.resize(rgb, (int) Math.round(rgb.cols() * s), (int) Math.round(rgb.rows() * s)));
            }
        }
        tflite = SharedModels.get().mtcnn();
        pytorch = SharedModels.get().pytorchMtcnn();
        assertEquals("tflite-xnnpack", tflite.engine(), "the shared models' detector engine");
    }

    @AfterAll
    void release() {
        images.forEach(Mat::release);
    }

    @Test
    void pnetAgreesOnPyramidLevels() {
        double maxDiff = 0;
        for (Mat rgb : images) {
            for (double scale : new double[] {0.3, 0.173, 0.061}) {
                int w = Math.max(12, (int) Math.round(rgb.cols() * scale));
                int h = Math.max(12, (int) Math.round(rgb.rows() * scale));
                Mat level = ImageTensors.resize(rgb, w, h);
                try {
                    MtcnnNetworks.PnetOutput a = tflite.pnet(level);
                    MtcnnNetworks.PnetOutput b = pytorch.pnet(level);
                    assertEquals(b.width(), a.width(), "map width at " + w + "x" + h);
                    assertEquals(b.height(), a.height(), "map height at " + w + "x" + h);
                    maxDiff = Math.max(maxDiff, maxAbsDiff(a.faceProbability(), b.faceProbability()));
                    maxDiff = Math.max(maxDiff, maxAbsDiff(a.regression(), b.regression()));
                } finally {
                    level.release();
                }
            }
        }
        System.out.printf("PNet tflite vs pytorch on %d levels: max abs diff %.2e%n", images.size() * 3, maxDiff);
        assertTrue(maxDiff <= TOLERANCE, "PNet max abs diff " + maxDiff);
    }

    @Test
    void rnetAndOnetAgreeOnCropsOfEveryBatchSize() {
        // 1..67 crops: every power-of-two chunk the TFLite side splits a batch into, and a remainder.
        for (int n : new int[] {1, 3, 8, 67}) {
            List<Mat> small = crops(24, n);
            List<Mat> large = crops(48, n);
            try {
                compare("RNet b" + n, tflite.rnet(small), pytorch.rnet(small));
                compare("ONet b" + n, tflite.onet(large), pytorch.onet(large));
            } finally {
                small.forEach(Mat::release);
                large.forEach(Mat::release);
            }
        }
    }

    @Test
    void bothEnginesFindTheSameFaces() {
        MtcnnDetector fast = new MtcnnDetector(tflite, MtcnnConfig.DEFAULT);
        MtcnnDetector port = new MtcnnDetector(pytorch, MtcnnConfig.DEFAULT);
        int total = 0;
        for (Mat rgb : images) {
            List<DetectedFace> a = fast.detect(rgb);
            List<DetectedFace> b = port.detect(rgb);
            assertEquals(b.size(), a.size(), "faces found");
            for (int i = 0; i < a.size(); i++) {
                assertSameFace(b.get(i), a.get(i));
            }
            total += a.size();
        }
        assertTrue(total >= 8, "too few faces to compare: " + total);
    }

    @Test
    void concurrentDetectionsGiveTheSameFaces() throws Exception {
        MtcnnDetector detector = new MtcnnDetector(tflite, MtcnnConfig.DEFAULT);
        List<List<DetectedFace>> alone = new ArrayList<>();
        for (Mat rgb : images) {
            alone.add(detector.detect(rgb));
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<DetectedFace>>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (Mat rgb : images) {
                    results.add(pool.submit(() -> detector.detect(rgb)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                List<DetectedFace> got = results.get(i).get();
                List<DetectedFace> want = alone.get(i % images.size());
                assertEquals(want.size(), got.size(), "faces found concurrently");
                for (int k = 0; k < got.size(); k++) {
                    assertEquals(want.get(k).box(), got.get(k).box(), "box found concurrently");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSameFace(DetectedFace want, DetectedFace got) {
        BoundingBox a = want.box(), b = got.box();
        // Boxes are whole pixels truncated from regressions; a 1e-6 difference may flip one pixel.
        double box = Math.max(Math.max(Math.abs(a.x1() - b.x1()), Math.abs(a.y1() - b.y1())),
                Math.max(Math.abs(a.x2() - b.x2()), Math.abs(a.y2() - b.y2())));
        assertTrue(box <= 1, "box " + b + " vs " + a);
        assertEquals(want.score(), got.score(), TOLERANCE, "score");
        for (int j = 0; j < 5; j++) {
            assertEquals(want.landmarks().get(j).x(), got.landmarks().get(j).x(), 1.5, "landmark x" + j);
            assertEquals(want.landmarks().get(j).y(), got.landmarks().get(j).y(), 1.5, "landmark y" + j);
        }
    }

    /** Squares from every image: around the centre, shifted and scaled, some leaving the image. */
    private List<Mat> crops(int size, int n) {
        List<Mat> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Mat rgb = images.get(i % images.size());
            int side = 24 + (i * 37) % Math.max(25, Math.min(rgb.cols(), rgb.rows()) / 2);
            int x = (i * 53) % Math.max(1, rgb.cols() - side / 2) - side / 4;
            int y = (i * 29) % Math.max(1, rgb.rows() - side / 2) - side / 4;
            out.add(ImageTensors.cropResized(rgb, x, y, x + side - 1, y + side - 1, size));
        }
        return out;
    }

    private static void compare(String label, MtcnnNetworks.StageOutput a, MtcnnNetworks.StageOutput b) {
        assertEquals(b.count(), a.count(), label + " count");
        double d = Math.max(maxAbsDiff(a.faceProbability(), b.faceProbability()), maxAbsDiff(a.regression(),
                b.regression()));
        if (b.landmarks() != null) {
            d = Math.max(d, maxAbsDiff(a.landmarks(), b.landmarks()));
        } else {
            assertEquals(null, a.landmarks(), label + " landmarks");
        }
        System.out.printf("%s tflite vs pytorch: max abs diff %.2e%n", label, d);
        assertTrue(d <= TOLERANCE, label + " max abs diff " + d);
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(b.length, a.length, "output size");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            assertFalse(Float.isNaN(a[i]), "NaN");
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
