package io.facestream.inference.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.facestream.inference.testing.Npy;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each ported network against the reference outputs of the real TFLite runtime in
 * {@code shared/models/golden}. Inputs are stored NHWC exactly as fed to TFLite (MTCNN already W/H
 * transposed); the port takes NCHW, so the test permutes input and outputs and nothing else.
 */
class NetworkGoldenTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        // case, input, outputs (|-separated), which network, tolerance
        "pnet_rand_61x47, input_0, out_0_prob1|out_1_conv4-2_bbox_reg, pnet, 1e-4",
        "pnet_rand_120x160, input_0, out_0_prob1|out_1_conv4-2_bbox_reg, pnet, 1e-4",
        "real_sample1, pnet_level0_input, pnet_level0.out_0|pnet_level0.out_1, pnet, 1e-4",
        "rnet_rand_b5, input_0, out_0_prob1|out_1_conv5-2_bbox_reg, rnet, 1e-4",
        "real_sample1, rnet_input, rnet.out_0|rnet.out_1, rnet, 1e-4",
        "onet_rand_b5, input_0, out_0_prob1|out_1_conv6-2_bbox_reg|out_2_conv6-3_landmarks, onet, 1e-4",
        "real_sample1, onet_input, onet.out_0|onet.out_1|onet.out_2, onet, 1e-4",
        "mobilefacenet_rand_b2, input_0, out_0_embeddings_raw, mobilefacenet, 2e-4",
        "real_sample1, mfn_input_aligned_0, mfn_aligned_0.out_0, mobilefacenet, 2e-4",
        "real_sample1, mfn_input_aligned_1, mfn_aligned_1.out_0, mobilefacenet, 2e-4",
        "real_sample1, mfn_input_square_0, mfn_square_0.out_0, mobilefacenet, 2e-4",
    })
    void matchesTheTfliteRuntime(String folder, String input, String outputs, String net, double tolerance)
            throws IOException {
        Path dir = SharedData.require("models/golden/" + folder);
        Npy in = Npy.read(dir.resolve(input + ".npy"));
        Network network = switch (net) {
            case "pnet" -> SharedModels.get().pnet();
            case "rnet" -> SharedModels.get().rnet();
            case "onet" -> SharedModels.get().onet();
            default -> SharedModels.get().mobileFaceNet();
        };
        try (NDManager m = network.newCallManager()) {
            long[] s = Arrays.stream(in.shape()).asLongStream().toArray();
            NDArray nchw = m.create(in.floats(), new Shape(s)).transpose(0, 3, 1, 2);
            NDList out = network.forward(m, nchw);
            String[] expected = outputs.split("\\|");
            assertTrue(out.size() == expected.length, "output count");
            for (int k = 0; k < expected.length; k++) {
                Npy golden = Npy.read(dir.resolve(expected[k] + ".tflite.npy"));
                NDArray y = out.get(k);
                if (y.getShape().dimension() == 4) {
                    y = y.transpose(0, 2, 3, 1); // back to the NHWC layout TFLite produced
                }
                assertArrayEquals(golden.shape(), Arrays.stream(y.getShape().getShape()).mapToInt(v -> (int) v)
                        .toArray(), expected[k] + " shape");
                float[] got = y.toFloatArray();
                float[] want = golden.floats();
                double max = 0;
                for (int i = 0; i < want.length; i++) {
                    max = Math.max(max, Math.abs(got[i] - want[i]));
                }
                assertTrue(max <= tolerance, folder + "/" + expected[k] + ": max abs diff " + max + " > " + tolerance);
                System.out.printf("%s/%s max abs diff %.2e%n", folder, expected[k], max);
            }
        }
    }
}
