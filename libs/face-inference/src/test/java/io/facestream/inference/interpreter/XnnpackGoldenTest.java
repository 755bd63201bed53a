package io.facestream.inference.interpreter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.inference.testing.Npy;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import io.facestream.inference.testing.TfliteReference;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The detector's production engine — the TFLite runtime with the XNNPACK delegate — against the golden tensors of
 * {@code shared/models/golden}, which the same runtime made with its built-in kernels. Same cases and tolerance as
 * the PyTorch port's {@code NetworkGoldenTest}: XNNPACK reorders sums and fuses activations, and must stay within
 * 1e-4 all the same.
 */
class XnnpackGoldenTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        // case, input, outputs (|-separated), model file
        "pnet_rand_61x47, input_0, out_0_prob1|out_1_conv4-2_bbox_reg, pnet.tflite",
        "pnet_rand_120x160, input_0, out_0_prob1|out_1_conv4-2_bbox_reg, pnet.tflite",
        "real_sample1, pnet_level0_input, pnet_level0.out_0|pnet_level0.out_1, pnet.tflite",
        "rnet_rand_b5, input_0, out_0_prob1|out_1_conv5-2_bbox_reg, rnet.tflite",
        "real_sample1, rnet_input, rnet.out_0|rnet.out_1, rnet.tflite",
        "onet_rand_b5, input_0, out_0_prob1|out_1_conv6-2_bbox_reg|out_2_conv6-3_landmarks, onet.tflite",
        "real_sample1, onet_input, onet.out_0|onet.out_1|onet.out_2, onet.tflite",
    })
    void matchesTheGoldenTensors(String folder, String input, String outputs, String model) throws IOException {
        Path dir = SharedData.require("models/golden/" + folder);
        Npy in = Npy.read(dir.resolve(input + ".npy"));
        try (TfliteReference xnnpack = TfliteReference.open(TestModels.require(model), true)) {
            float[][] out = xnnpack.run(in.floats(), in.shape());
            int[][] shapes = xnnpack.outputShapes();
            String[] expected = outputs.split("\\|");
            assertEquals(expected.length, out.length, "output count");
            for (int k = 0; k < expected.length; k++) {
                Npy golden = Npy.read(dir.resolve(expected[k] + ".tflite.npy"));
                assertArrayEquals(golden.shape(), shapes[k], expected[k] + " shape");
                float[] want = golden.floats();
                double max = 0;
                for (int i = 0; i < want.length; i++) {
                    max = Math.max(max, Math.abs(out[k][i] - want[i]));
                }
                assertTrue(max <= 1e-4, folder + "/" + expected[k] + ": max abs diff " + max + " > 1e-4");
                System.out.printf("xnnpack %s/%s max abs diff %.2e%n", folder, expected[k], max);
            }
        }
    }
}
