package io.facestream.core.similarity;

/** Similarity between two vectors of equal length; larger means more alike. */
public enum VectorSimilarity {

    /** Cosine of the angle, in [−1, 1]; any non-zero vectors. */
    COSINE {
        @Override
        public double compare(float[] a, float[] b) {
            checkLengths(a, b);
            double dot = 0, na = 0, nb = 0;
            for (int i = 0; i < a.length; i++) {
                dot += (double) a[i] * b[i];
                na += (double) a[i] * a[i];
                nb += (double) b[i] * b[i];
            }
            if (na == 0 || nb == 0) {
                throw new IllegalArgumentException("cosine of a zero vector is undefined");
            }
            return dot / Math.sqrt(na * nb);
        }
    },

    /** Dot product; equals the cosine only when both vectors are L2-normalised (the caller's duty). */
    DOT_PRODUCT {
        @Override
        public double compare(float[] a, float[] b) {
            checkLengths(a, b);
            double dot = 0;
            for (int i = 0; i < a.length; i++) {
                dot += (double) a[i] * b[i];
            }
            return dot;
        }
    };

    public abstract double compare(float[] a, float[] b);

    private static void checkLengths(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector lengths differ: " + a.length + " vs " + b.length);
        }
    }
}
