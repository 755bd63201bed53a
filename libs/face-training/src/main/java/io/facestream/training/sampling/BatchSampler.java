package io.facestream.training.sampling;

/** Chooses the training examples of each batch, as indices into the training examples. */
public interface BatchSampler {

    /** The example indices of the next batch, {@code size} of them. */
    int[] next(int size);
}
