package io.facestream.training.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplerTest {

    /** 90 examples of class 0, 9 of class 1, 1 of class 2. */
    private static int[] imbalanced() {
        int[] labels = new int[100];
        Arrays.fill(labels, 90, 99, 1);
        labels[99] = 2;
        return labels;
    }

    private static double[] classShares(BatchSampler sampler, int[] labels, int draws) {
        double[] counts = new double[3];
        for (int i = 0; i < draws / 50; i++) {
            for (int example : sampler.next(50)) {
                counts[labels[example]]++;
            }
        }
        for (int c = 0; c < 3; c++) {
            counts[c] /= draws;
        }
        return counts;
    }

    @Test
    void theBalancedSamplerDrawsEveryClassEquallyOften() {
        int[] labels = imbalanced();
        double[] shares = classShares(new ClassBalancedSampler(labels, 3, new Random(1)), labels, 30_000);
        // Binomial standard deviation at n = 30 000, p = 1/3: 0.0027; 0.015 is over five of them.
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, shares, 0.015);
    }

    @Test
    void theShuffledSamplerFollowsTheClassSizes() {
        int[] labels = imbalanced();
        double[] shares = classShares(new ShuffledEpochSampler(labels.length, new Random(1)), labels, 30_000);
        assertArrayEquals(new double[] {0.90, 0.09, 0.01}, shares, 1e-9, "whole epochs: exactly the class sizes");
    }

    @Test
    void anEpochVisitsEveryExampleOnceInAFreshOrder() {
        ShuffledEpochSampler sampler = new ShuffledEpochSampler(10, new Random(2));
        int[] first = sampler.next(10);
        int[] second = sampler.next(10);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Arrays.stream(first).sorted().toArray());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Arrays.stream(second).sorted().toArray());
        assertNotEquals(Arrays.toString(first), Arrays.toString(second));
    }

    @Test
    void positivesAreOtherExamplesOfTheSameClass() {
        int[] labels = imbalanced();
        Random random = new Random(3);
        int[] anchors = new ClassBalancedSampler(labels, 3, random).next(500);
        int[] positives = ClassBalancedSampler.positivesFor(anchors, labels, 3, random);
        for (int i = 0; i < anchors.length; i++) {
            assertEquals(labels[anchors[i]], labels[positives[i]]);
            if (labels[anchors[i]] != 2) {
                assertNotEquals(anchors[i], positives[i], "a class with two or more examples gives another one");
            } else {
                assertEquals(99, positives[i], "the single example of class 2 is its own positive");
            }
        }
    }

    @Test
    void aClassWithoutExamplesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClassBalancedSampler(new int[] {0, 0, 2}, 3, new Random()));
    }
}
