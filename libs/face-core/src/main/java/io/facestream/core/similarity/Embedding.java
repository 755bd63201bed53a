package io.facestream.core.similarity;

import java.util.Arrays;

/**
 * An L2-normalised face embedding. The constructor normalises (and copies), so the cosine of two
 * embeddings is their dot product.
 */
public final class Embedding {

    private final float[] vector;

    private Embedding(float[] unit) {
        this.vector = unit;
    }

    /**
     * @throws IllegalArgumentException for an empty, zero or non-finite vector
     */
    public static Embedding normalise(float[] raw) {
        double sum = 0;
        for (float v : raw) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("embedding has a non-finite value");
            }
            sum += (double) v * v;
        }
        if (raw.length == 0 || sum == 0) {
            throw new IllegalArgumentException("cannot normalise an empty or zero vector");
        }
        double inv = 1 / Math.sqrt(sum);
        float[] unit = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            unit[i] = (float) (raw[i] * inv);
        }
        return new Embedding(unit);
    }

    public int dimension() {
        return vector.length;
    }

    /** A copy of the unit vector. */
    public float[] toArray() {
        return vector.clone();
    }

    public double cosine(Embedding other) {
        return VectorSimilarity.DOT_PRODUCT.compare(vector, other.vector);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && Arrays.equals(vector, e.vector);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "Embedding[dim=" + vector.length + "]";
    }
}
