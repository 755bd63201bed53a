package io.facestream.search.history;

import java.util.Random;

/** Unit vectors with a chosen cosine to a base vector, for fixtures whose expected scores are known. */
final class Vectors {

    static final int DIM = 32;
    private final Random random;

    Vectors(long seed) {
        random = new Random(seed);
    }

    float[] unit() {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalised(v);
    }

    /** A unit vector whose cosine to the unit vector {@code base} is {@code cos}. */
    float[] at(float[] base, double cos) {
        float[] r = unit();
        double along = Partition.dot(r, base);
        float[] orth = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            orth[i] = (float) (r[i] - along * base[i]);
        }
        orth = normalised(orth);
        double sin = Math.sqrt(1 - cos * cos);
        float[] out = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            out[i] = (float) (cos * base[i] + sin * orth[i]);
        }
        return normalised(out);
    }

    static float[] normalised(float[] v) {
        double n = Math.sqrt(Partition.dot(v, v));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }
}
