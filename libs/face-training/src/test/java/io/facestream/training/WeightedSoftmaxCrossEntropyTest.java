package io.facestream.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.facestream.training.loss.WeightedSoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;

class WeightedSoftmaxCrossEntropyTest {

    @Test
    void matchesTheValueComputedByHand() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDList scores = new NDList(m.create(new float[][] {{2, 30}, {2, 30}}));
            NDList targets = new NDList(m.create(new float[] {0, 1}));
            // −log softmax([2,30])[0] = 28 + log(1 + e^−28); [1] = log(1 + e^−28) ≈ 6.9e−13.
            // Weighted mean: (10·28 + 1·0) / (10 + 1) = 280/11.
            float loss = new WeightedSoftmaxCrossEntropy("wce", new float[] {10, 1}).evaluate(targets, scores).getFloat();
            assertEquals(280.0 / 11.0, loss, 1e-4);
        }
    }

    @Test
    void withEqualWeightsItIsPlainCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDList scores = new NDList(m.create(new float[][] {{0.5f, -1f, 2f}, {1f, 1f, 0f}, {-2f, 3f, 0.1f}}));
            NDList targets = new NDList(m.create(new float[] {2, 0, 1}));
            float weighted = new WeightedSoftmaxCrossEntropy("wce", new float[] {3, 3, 3}).evaluate(targets, scores)
                    .getFloat();
            float plain = new SoftmaxCrossEntropyLoss().evaluate(targets, scores).getFloat();
            assertEquals(plain, weighted, 1e-5);
        }
    }
}
