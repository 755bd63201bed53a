package io.facestream.galleryindex.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic identities with the statistics of real face embeddings: the people's mean embeddings are fitted
 * by one normal distribution (between people), each person's images around their own mean by another (within
 * a person, pooled over people); a new identity's centre is a draw from the first, its samples draws from the
 * second around it, normalised. Real embeddings are far from isotropic (on faces-dev, MobileFaceNet puts 90 %
 * of the variance in a few dozen of the 192 directions, and different people's cosines spread about twice as
 * wide as an isotropic cloud's), and that structure is what a graph index walks along; {@link FaceLikeGallery}
 * is the isotropic worst case beside it. Both covariances are Ledoit-Wolf shrunk, so a few dozen people still
 * give a full-rank fit.
 */
public final class FittedFaces implements SyntheticFaces {

    private final Gaussian between;
    private final Gaussian within;
    private final long seed;
    private final int people;
    private final int images;

    private FittedFaces(Gaussian between, Gaussian within, long seed, int people, int images) {
        this.between = between;
        this.within = within;
        this.seed = seed;
        this.people = people;
        this.images = images;
    }

    /** Fitted to each person's unit embeddings (people with fewer than two are left out; at least three needed). */
    public static FittedFaces fit(Map<String, List<float[]>> byPerson, long seed) {
        List<double[]> means = new ArrayList<>();
        List<double[]> deviations = new ArrayList<>();
        int dimension = -1;
        for (List<float[]> images : byPerson.values()) {
            if (images.size() < 2) {
                continue;
            }
            dimension = images.get(0).length;
            double[] mean = new double[dimension];
            for (float[] e : images) {
                if (e.length != dimension) {
                    throw new IllegalArgumentException("embeddings of different lengths");
                }
                for (int i = 0; i < dimension; i++) {
                    mean[i] += e[i] / (double) images.size();
                }
            }
            means.add(mean);
            // deviations from the person's own mean are short by sqrt((n-1)/n) (3-13 % with 4-11 images): undone
            double unbiased = Math.sqrt(images.size() / (images.size() - 1.0));
            for (float[] e : images) {
                double[] dev = new double[dimension];
                for (int i = 0; i < dimension; i++) {
                    dev[i] = (e[i] - mean[i]) * unbiased;
                }
                deviations.add(dev);
            }
        }
        if (means.size() < 3) {
            throw new IllegalArgumentException("need at least 3 people with 2 or more embeddings, got " + means.size());
        }
        return new FittedFaces(Gaussian.fit(means, null), Gaussian.fit(deviations, new double[dimension]), seed,
                means.size(), deviations.size());
    }

    @Override
    public float[][] centres(int identities) {
        Random random = new Random(seed);
        float[][] out = new float[identities][];
        for (int i = 0; i < identities; i++) {
            out[i] = toFloat(between.draw(null, random));
        }
        return out;
    }

    @Override
    public float[] sample(float[] centre, Random random) {
        double[] base = new double[centre.length];
        for (int i = 0; i < base.length; i++) {
            base[i] = centre[i];
        }
        return FaceLikeGallery.unit(toFloat(within.draw(base, random)));
    }

    /** What it was fitted to and how much each covariance was shrunk, for the bench's report. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "fitted to %d people, %d images; Ledoit-Wolf shrinkage between %.2f, within %.2f", people, images,
                between.shrinkage(), within.shrinkage());
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
