package io.facestream.galleryindex.synthetic;

import java.util.Random;

/** A generator of synthetic identities for gallery measurements: centres, and noisy unit samples of a centre. */
public interface SyntheticFaces {

    /** Centres of {@code identities} identities, the same for the same seed. */
    float[][] centres(int identities);

    /** A fresh noisy unit sample of {@code centre}. */
    float[] sample(float[] centre, Random random);
}
