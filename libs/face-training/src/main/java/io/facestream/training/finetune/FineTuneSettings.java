package io.facestream.training.finetune;

/**
 * How to fine-tune.
 *
 * @param lastFrozenStage   stages up to and including this one keep their pre-trained weights
 * @param steps             optimiser steps
 * @param batchSize         faces per step (anchors plus their positives when the triplet term is on)
 * @param learningRate      Adam's learning rate, for the trained stages and the head alike
 * @param seed              seeds the engine, the sampler and the augmentation
 * @param balancedSampling  draw classes uniformly ({@code ClassBalancedSampler}) instead of shuffled epochs
 * @param weightedLoss      weigh the cross-entropy by {@code ClassWeights.balanced} of the training counts
 * @param tripletWeight     weight of the triplet term added to the cross-entropy (0 = off)
 * @param tripletMargin     margin of the triplet term, in cosine distance
 */
public record FineTuneSettings(String lastFrozenStage, int steps, int batchSize, float learningRate, long seed,
        boolean balancedSampling, boolean weightedLoss, float tripletWeight, float tripletMargin) {

    public FineTuneSettings {
        if (steps < 0 || batchSize < 2 || !(learningRate > 0) || !(tripletWeight >= 0) || !(tripletMargin >= 0)) {
            throw new IllegalArgumentException("need steps ≥ 0, batch ≥ 2, a positive learning rate and "
                    + "non-negative triplet weight and margin");
        }
    }
}
