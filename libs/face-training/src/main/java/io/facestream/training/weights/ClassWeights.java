package io.facestream.training.weights;

/**
 * Loss weights that undo class imbalance: {@code weight[c] = max(count) / count[c]}, so the most frequent
 * class weighs 1 and a class with a tenth of its samples weighs 10. This is scikit-learn's "balanced"
 * weighting ({@code n / (k · count)}) up to a constant factor, which a weighted mean loss cancels.
 * Counts come from the training split only.
 */
public final class ClassWeights {

    private ClassWeights() {
    }

    /**
     * @throws IllegalArgumentException for no classes or a class without samples (it cannot be learned, and
     *     its weight would be infinite)
     */
    public static float[] balanced(long[] counts) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("no classes");
        }
        long max = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] <= 0) {
                throw new IllegalArgumentException("class " + c + " has no training samples");
            }
            max = Math.max(max, counts[c]);
        }
        float[] w = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            w[c] = (float) ((double) max / counts[c]);
        }
        return w;
    }
}
