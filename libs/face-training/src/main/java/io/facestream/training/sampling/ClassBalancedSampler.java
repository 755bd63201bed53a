package io.facestream.training.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws a class uniformly, then one of its examples uniformly, for every slot of a batch: each class is
 * seen equally often whatever its size, so rare classes are over-sampled (their few examples repeat, which
 * augmentation varies) and frequent ones under-sampled.
 */
public final class ClassBalancedSampler implements BatchSampler {

    private final Random random;
    private final int[][] examplesByClass;

    /**
     * @param labels the class of each example, {@code 0 … classes − 1}; every class needs an example
     */
    public ClassBalancedSampler(int[] labels, int classes, Random random) {
        this.random = random;
        this.examplesByClass = byClass(labels, classes);
    }

    @Override
    public int[] next(int size) {
        int[] batch = new int[size];
        for (int i = 0; i < size; i++) {
            int[] examples = examplesByClass[random.nextInt(examplesByClass.length)];
            batch[i] = examples[random.nextInt(examples.length)];
        }
        return batch;
    }

    /**
     * For each chosen example, another example of the same class (itself only when its class has one):
     * the positives a triplet term needs in the batch.
     */
    public static int[] positivesFor(int[] anchors, int[] labels, int classes, Random random) {
        int[][] byClass = byClass(labels, classes);
        int[] positives = new int[anchors.length];
        for (int i = 0; i < anchors.length; i++) {
            int[] same = byClass[labels[anchors[i]]];
            if (same.length == 1) {
                positives[i] = anchors[i];
            } else {
                int pick = same[random.nextInt(same.length - 1)];
                positives[i] = pick == anchors[i] ? same[same.length - 1] : pick;
            }
        }
        return positives;
    }

    static int[][] byClass(int[] labels, int classes) {
        List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            lists.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is not a class");
            }
            lists.get(labels[i]).add(i);
        }
        int[][] out = new int[classes][];
        for (int c = 0; c < classes; c++) {
            if (lists.get(c).isEmpty()) {
                throw new IllegalArgumentException("class " + c + " has no examples");
            }
            out[c] = lists.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }
}
