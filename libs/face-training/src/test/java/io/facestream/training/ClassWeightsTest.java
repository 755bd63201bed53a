package io.facestream.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.training.weights.ClassWeights;
import org.junit.jupiter.api.Test;

class ClassWeightsTest {

    @Test
    void theMostFrequentClassWeighsOneAndARareOneProportionallyMore() {
        assertArrayEquals(new float[] {1f, 10f, 2f, 100f}, ClassWeights.balanced(new long[] {100, 10, 50, 1}), 1e-6f);
        assertArrayEquals(new float[] {1f, 1f}, ClassWeights.balanced(new long[] {7, 7}), 0f);
    }

    @Test
    void aClassWithoutSamplesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> ClassWeights.balanced(new long[] {5, 0}));
        assertThrows(IllegalArgumentException.class, () -> ClassWeights.balanced(new long[0]));
    }
}
