package io.facestream.training.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.facestream.training.dataset.CropImages;
import io.facestream.training.dataset.LabelledFaces;
import io.facestream.inference.degrade.LowResolution;
import io.facestream.training.split.HeldOutSplit;
import io.facestream.vision.OpenCvLoader;
import io.facestream.vision.encode.PngEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class ImbalanceExperimentTest {

    private static final int SIZE = 112;

    @BeforeAll
    static void opencv() {
        OpenCvLoader.ensureLoaded();
    }

    private static byte[] noisePng(Random random) {
        byte[] px = new byte[SIZE * SIZE * 3];
        random.nextBytes(px);
        Mat m = new Mat(SIZE, SIZE, CvType.CV_8UC3);
        m.put(0, 0, px);
        try {
            return PngEncoder.rgb(m);
        } finally {
            m.release();
        }
    }

    private static Map<String, List<String>> names(Map<String, List<Path>> byIdentity) {
        Map<String, List<String>> out = new TreeMap<>();
        byIdentity.forEach((id, files) -> out.put(id, files.stream().map(f -> f.getFileName().toString()).toList()));
        return out;
    }

    @Test
    void degradedStoreHoldsOutTheSameFacesAndEveryCropIsDegraded(@TempDir Path dir) throws IOException {
        Random random = new Random(3);
        LabelledFaces store = new LabelledFaces(dir.resolve("aligned"));
        for (String id : List.of("a", "b", "c")) {
            for (int i = 0; i < 5; i++) {
                store.add(id, noisePng(random));
            }
        }
        store.notThisPerson("a", noisePng(random));
        LowResolution camera = new LowResolution(16);

        LabelledFaces low = ImbalanceExperiment.degradedStore(dir.resolve("aligned"), dir.resolve("low"), camera);

        assertEquals(store.counts(), low.counts());
        assertEquals(1, low.negativesOf("a").size());
        HeldOutSplit full = HeldOutSplit.of(store, 0.3, 42);
        HeldOutSplit degraded = HeldOutSplit.of(low, 0.3, 42);
        assertEquals(names(full.heldOut()), names(degraded.heldOut()));
        assertEquals(names(full.training()), names(degraded.training()));
        for (Path file : low.facesOf("b")) {
            Mat original = CropImages.read(dir.resolve("aligned/faces/b").resolve(file.getFileName()));
            Mat seen = CropImages.read(file);
            Mat expected = camera.apply(original);
            byte[] a = new byte[SIZE * SIZE * 3];
            byte[] b = new byte[SIZE * SIZE * 3];
            byte[] e = new byte[SIZE * SIZE * 3];
            original.get(0, 0, a);
            seen.get(0, 0, b);
            expected.get(0, 0, e);
            assertArrayEquals(e, b, "the camera's crop, stored losslessly");
            assertFalse(Arrays.equals(a, b), "not the full-resolution crop");
            original.release();
            seen.release();
            expected.release();
        }
    }
}
