package io.facestream.galleryindex.synthetic;

import java.util.List;
import java.util.Random;

/**
 * A synthetic gallery shaped like face embeddings, for recall and latency measurements: identities whose
 * samples are noisy views of one unit "centre", and probes that are fresh noisy views of enrolled identities,
 * so a probe's nearest neighbour is one of its identity's samples as with real faces, not an arbitrary point
 * of a uniform cloud. Centres share a common direction ({@code sharedWeight}) as real embeddings do
 * (different people's faces have a positive mean cosine). With the defaults, two samples of one identity have
 * a cosine around 0.7 and two identities around 0.1 (MobileFaceNet on faces-dev: about 0.7 and 0.1).
 *
 * @param dimension vector length
 * @param noise norm of the noise added to a centre before re-normalising
 * @param sharedWeight share of every centre along the common direction
 * @param seed for reproducible galleries
 */
public record FaceLikeGallery(int dimension, double noise, double sharedWeight, long seed) implements SyntheticFaces {

    public FaceLikeGallery {
        if (dimension < 2 || !(noise >= 0) || !(sharedWeight >= 0 && sharedWeight < 1)) {
            throw new IllegalArgumentException("need dimension >= 2, noise >= 0, sharedWeight in [0, 1)");
        }
    }

    public static FaceLikeGallery defaults(int dimension, long seed) {
        return new FaceLikeGallery(dimension, 0.65, 0.3, seed);
    }

    /** Unit centres of {@code identities} identities. */
    public float[][] centres(int identities) {
        Random random = new Random(seed);
        float[] shared = unit(gaussian(random, dimension));
        float[][] out = new float[identities][];
        double own = Math.sqrt(1 - sharedWeight * sharedWeight);
        for (int i = 0; i < identities; i++) {
            float[] r = unit(gaussian(random, dimension));
            float[] c = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                c[d] = (float) (sharedWeight * shared[d] + own * r[d]);
            }
            out[i] = unit(c);
        }
        return out;
    }

    /** A fresh noisy unit view of {@code centre}. */
    public float[] sample(float[] centre, Random random) {
        float[] g = gaussian(random, centre.length);
        double scale = noise / Math.sqrt(centre.length);
        float[] v = new float[centre.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (centre[d] + scale * g[d]);
        }
        return unit(v);
    }

    /** Samples of each centre: {@code perIdentity} each, in identity order. */
    public List<float[]> samples(float[][] centres, int perIdentity, Random random) {
        float[][] out = new float[centres.length * perIdentity][];
        for (int i = 0; i < centres.length; i++) {
            for (int j = 0; j < perIdentity; j++) {
                out[i * perIdentity + j] = sample(centres[i], random);
            }
        }
        return List.of(out);
    }

    private static float[] gaussian(Random random, int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) random.nextGaussian();
        }
        return g;
    }

    /** {@code v} scaled to unit length, in place. */
    public static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * (double) x;
        }
        double inv = 1 / Math.sqrt(n);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * inv);
        }
        return v;
    }
}
