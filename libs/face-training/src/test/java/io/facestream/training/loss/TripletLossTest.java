package io.facestream.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * Unit vectors (after normalisation) e0 = (1, 0), e1 = (0.8, 0.6) of class 0 and e2 = (0.6, 0.8), e3 = (0, 1)
 * of class 1. Cosines: c01 = 0.8, c02 = 0.6, c03 = 0, c12 = 0.96, c13 = 0.6, c23 = 0.8. With margin 0.3 the
 * term of an anchor is max(0, cos(a, n) − cos(a, p) + 0.3).
 */
class TripletLossTest {

    private static final float[][] BATCH = {{2, 0}, {4, 3}, {0.6f, 0.8f}, {0, 5}}; // raw, normalised inside
    private static final int[] LABELS = {0, 0, 1, 1};

    @Test
    void inBatchHardestNegativesByHand() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // anchor 0: p = e1 (0.8), hardest negative e2 (0.6): 0.6 − 0.8 + 0.3 = 0.1
            // anchor 1: p = e0 (0.8), hardest negative e2 (0.96): 0.46
            // anchor 2: p = e3 (0.8), hardest negative e1 (0.96): 0.46
            // anchor 3: p = e2 (0.8), hardest negative e1 (0.6): 0.1     mean = 1.12 / 4 = 0.28
            NDArray loss = new TripletLoss(0.3f).evaluate(m.create(BATCH), LABELS, null, new int[0]);
            assertEquals(0.28, loss.getFloat(), 1e-6);
        }
    }

    @Test
    void anIdentitysOwnHardNegativesReplaceTheInBatchOnes() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // "not class 0": n = (−1, 0). anchor 0: −1 − 0.8 + 0.3 < 0 → 0; anchor 1: −0.8 − 0.8 + 0.3 < 0 → 0.
            // Class 1 has no negatives of its own: 0.46 and 0.1 as before.       mean = 0.56 / 4 = 0.14
            NDArray negatives = m.create(new float[][] {{-3, 0}});
            NDArray loss = new TripletLoss(0.3f).evaluate(m.create(BATCH), LABELS, negatives, new int[] {0});
            assertEquals(0.14, loss.getFloat(), 1e-6);
        }
    }

    @Test
    void anchorsWithoutAPositiveDoNotCount() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray loss = new TripletLoss(0.3f).evaluate(m.create(new float[][] {{1, 0}, {0, 1}}), new int[] {0, 1},
                    null, new int[0]);
            assertEquals(0, loss.getFloat(), 0);
        }
    }

    @Test
    void aWideEnoughMarginIsMetAndCostsNothing() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[][] apart = {{1, 0}, {1, 0.1f}, {-1, 0}, {-1, 0.1f}};
            assertEquals(0, new TripletLoss(0.2f).evaluate(m.create(apart), LABELS, null, new int[0]).getFloat(), 0);
        }
    }
}
