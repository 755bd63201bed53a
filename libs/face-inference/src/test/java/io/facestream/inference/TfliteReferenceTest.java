package io.facestream.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.facestream.inference.testing.Npy;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import io.facestream.inference.testing.TfliteReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Proves that {@link TfliteReference} (the real TFLite 2.6.2 runtime driven from Java) reproduces the golden
 * {@code out_*.tflite.npy} tensors, which were produced with the same runtime. Outputs are matched to golden files
 * by shape (and by name when shapes collide), never by assumed order.
 */
class TfliteReferenceTest {

    /** The goldens come from the identical runtime, so this is far looser than needed (diffs are ~0). */
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "pnet_rand_61x47,       pnet.tflite,          2",
        "pnet_rand_120x160,     pnet.tflite,          2",
        "rnet_rand_b5,          rnet.tflite,          2",
        "onet_rand_b5,          onet.tflite,          3",
        "mobilefacenet_rand_b2, MobileFaceNet.tflite, 1",
    })
    void reproducesGoldenTfliteOutputs(String caseName, String modelName, int expectedOutputs) throws IOException {
        Path dir = SharedData.require("models/golden/" + caseName);
        Npy input = Npy.read(dir.resolve("input_0.npy"));
        assertEquals(Npy.F4, input.dtype(), "input dtype");

        List<Golden> goldens = goldens(dir);
        assertEquals(expectedOutputs, goldens.size(), "golden output files in " + dir);

        try (TfliteReference ref = TfliteReference.open(TestModels.require(modelName))) {
            float[][] outputs = ref.run(input.floats(), input.shape());
            int[][] shapes = ref.outputShapes();
            String[] names = ref.outputNames();
            assertEquals(expectedOutputs, outputs.length, "output count");
            assertArrayEquals(input.shape(), ref.inputShape(), "input tensor resized to the fed shape");
            System.out.printf(Locale.ROOT, "[tflite] %s: %s input '%s' %s -> outputs %s%n", caseName, modelName,
                    ref.inputName(), Arrays.toString(input.shape()), describe(names, shapes));

            boolean[] used = new boolean[outputs.length];
            for (Golden g : goldens) {
                int k = match(g, names, shapes, used);
                used[k] = true;
                double diff = maxAbsDiff(outputs[k], g.values());
                System.out.printf(Locale.ROOT, "[tflite] %s: output %d '%s' %s vs %s: max |diff| = %.3g%n", caseName,
                        k, names[k], Arrays.toString(shapes[k]), g.file().getFileName(), diff);
                assertTrue(diff <= TOLERANCE, caseName + "/" + g.name() + ": max abs diff " + diff + " > " + TOLERANCE);
            }
            for (int k = 0; k < used.length; k++) {
                assertTrue(used[k], "output " + k + " '" + names[k] + "' has no golden file");
            }
        }
    }

    /** One interpreter, three PNet sizes in a row: the input is resized each time and results stay exact. */
    @Test
    void resizesPnetInputBetweenRuns() throws IOException {
        Path small = SharedData.require("models/golden/pnet_rand_61x47");
        Path large = SharedData.require("models/golden/pnet_rand_120x160");
        try (TfliteReference ref = TfliteReference.open(TestModels.require("pnet.tflite"))) {
            for (Path dir : List.of(large, small, large)) {
                Npy input = Npy.read(dir.resolve("input_0.npy"));
                float[][] outputs = ref.run(input.floats(), input.shape());
                for (Golden g : goldens(dir)) {
                    boolean[] used = new boolean[outputs.length];
                    int k = match(g, ref.outputNames(), ref.outputShapes(), used);
                    assertTrue(maxAbsDiff(outputs[k], g.values()) <= TOLERANCE, dir + " " + g.name());
                }
            }
        }
    }

    /** Documents the MobileFaceNet pitfall: its RESHAPE is fixed to [2,192], so batch 1 cannot be allocated. */
    @Test
    void mobileFaceNetRejectsBatchOne() {
        try (TfliteReference ref = TfliteReference.open(TestModels.require("MobileFaceNet.tflite"))) {
            assertArrayEquals(new int[] {2, 112, 112, 3}, ref.inputShape(), "stored input shape");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ref.run(new float[112 * 112 * 3], new int[] {1, 112, 112, 3}));
            System.out.println("[tflite] MobileFaceNet batch 1: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    @Test
    void reportsRuntimeVersionAndLoadsNativeOnce() {
        assertEquals("2.6.2", TfliteReference.runtimeVersion());
        Path first = TfliteReference.nativeLibraryPath();
        TfliteReference.loadNative();
        assertEquals(first, TfliteReference.nativeLibraryPath());
        System.out.println("[tflite] runtime " + TfliteReference.runtimeVersion() + " loaded from " + first);
    }

    @Test
    void rejectsWrongInputLength() {
        try (TfliteReference ref = TfliteReference.open(TestModels.require("rnet.tflite"))) {
            assertThrows(IllegalArgumentException.class, () -> ref.run(new float[10], new int[] {1, 24, 24, 3}));
            assertThrows(IllegalStateException.class, ref::outputShapes);
        }
    }

    @Test
    void goldenImagesReadAsUint8() throws IOException {
        Npy image = Npy.read(SharedData.require("models/golden/rnet_rand_b5/image_rgb_u8.npy"));
        assertEquals(Npy.U1, image.dtype());
        int[] values = image.ints();
        assertEquals(image.size(), values.length);
        assertTrue(Arrays.stream(values).allMatch(v -> v >= 0 && v <= 255));
        assertFalse(Arrays.stream(values).allMatch(v -> v == values[0]), "not constant");
        Npy f64 = Npy.read(SharedData.require("models/golden/rnet_rand_b5/out_0_prob1.numpy64.npy"));
        Npy f32 = Npy.read(SharedData.require("models/golden/rnet_rand_b5/out_0_prob1.tflite.npy"));
        assertEquals(Npy.F8, f64.dtype());
        assertArrayEquals(f32.shape(), f64.shape());
        assertTrue(maxAbsDiff(f32.floats(), f64.doubles()) < 1e-6, "tflite vs numpy64 per README");
    }

    record Golden(Path file, String name, int[] shape, float[] values) {
    }

    /** All {@code out_<k>_<name>.tflite.npy} files of a case folder, sorted by file name. */
    private static List<Golden> goldens(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String f = p.getFileName().toString();
                return f.startsWith("out_") && f.endsWith(".tflite.npy");
            }).sorted().toList();
        }
        List<Golden> out = new ArrayList<>();
        for (Path p : files) {
            String f = p.getFileName().toString();
            String stem = f.substring("out_".length(), f.length() - ".tflite.npy".length());
            String name = stem.substring(stem.indexOf('_') + 1); // drop "<k>_"
            Npy npy = Npy.read(p);
            assertEquals(Npy.F4, npy.dtype(), f);
            out.add(new Golden(p, name, npy.shape(), npy.floats()));
        }
        return out;
    }

    /** The unused output with the golden's shape; when several share it, the one whose name mentions the golden. */
    private static int match(Golden g, String[] names, int[][] shapes, boolean[] used) {
        List<Integer> sameShape = new ArrayList<>();
        for (int k = 0; k < shapes.length; k++) {
            if (!used[k] && Arrays.equals(shapes[k], g.shape())) {
                sameShape.add(k);
            }
        }
        if (sameShape.size() == 1) {
            return sameShape.get(0);
        }
        List<Integer> byName = sameShape.stream().filter(k -> names[k].contains(g.name())).toList();
        if (byName.size() == 1) {
            return byName.get(0);
        }
        return fail("cannot map golden " + g.file().getFileName() + " " + Arrays.toString(g.shape())
                + " to one output of " + describe(names, shapes));
    }

    private static String describe(String[] names, int[][] shapes) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < names.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(k).append(":'").append(names[k]).append("' ")
                    .append(Arrays.toString(shapes[k]));
        }
        return sb.append(']').toString();
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "length");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    private static double maxAbsDiff(float[] a, double[] b) {
        assertEquals(a.length, b.length, "length");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
