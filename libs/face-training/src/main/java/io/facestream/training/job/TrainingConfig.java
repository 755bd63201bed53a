package io.facestream.training.job;

import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.training.split.HeldOutSplit;

/**
 * Settings of one fine-tuning job.
 *
 * @param lastFrozenStage stages up to and including this one ({@code stem}, {@code block01} … {@code block15})
 *                        keep their pre-trained weights
 * @param steps           optimiser steps (Adam)
 * @param batchSize       faces per step
 * @param learningRate    Adam's learning rate
 * @param seed            seeds the split, the sampler, the augmentation and the engine
 * @param balancing       how rare identities are made up for
 * @param tripletWeight   weight of the triplet term (0 = off)
 * @param tripletMargin   margin of the triplet term in cosine distance
 * @param heldOutFraction share of each identity's faces held out for evaluation (identities with ≥ 3 faces)
 */
public record TrainingConfig(String lastFrozenStage, int steps, int batchSize, float learningRate, long seed,
        Balancing balancing, float tripletWeight, float tripletMargin, double heldOutFraction) {

    public TrainingConfig {
        if (!MobileFaceNet.stageNames().contains(lastFrozenStage) || "head".equals(lastFrozenStage)) {
            throw new IllegalArgumentException("lastFrozenStage must be stem or block01..block15, got " + lastFrozenStage);
        }
        if (steps < 0 || batchSize < 2 || !(learningRate > 0) || balancing == null || !(tripletWeight >= 0)
                || !(tripletMargin >= 0) || !(heldOutFraction >= 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("invalid training config: steps ≥ 0, batch ≥ 2, learning rate > 0, "
                    + "a balancing mode, triplet weight and margin ≥ 0, held-out fraction in [0, 1)");
        }
    }

    /** Defaults measured on faces-dev (README, "Retraining experiment"). */
    public static TrainingConfig defaults() {
        return new TrainingConfig("block10", 150, 32, 1e-4f, 42L, Balancing.CLASS_WEIGHTS, 0f, 0.2f,
                HeldOutSplit.DEFAULT_FRACTION);
    }

    public TrainingConfig withLastFrozenStage(String stage) {
        return new TrainingConfig(stage, steps, batchSize, learningRate, seed, balancing, tripletWeight, tripletMargin,
                heldOutFraction);
    }

    public TrainingConfig withSteps(int n) {
        return new TrainingConfig(lastFrozenStage, n, batchSize, learningRate, seed, balancing, tripletWeight,
                tripletMargin, heldOutFraction);
    }

    public TrainingConfig withBatchSize(int n) {
        return new TrainingConfig(lastFrozenStage, steps, n, learningRate, seed, balancing, tripletWeight,
                tripletMargin, heldOutFraction);
    }

    public TrainingConfig withLearningRate(float rate) {
        return new TrainingConfig(lastFrozenStage, steps, batchSize, rate, seed, balancing, tripletWeight,
                tripletMargin, heldOutFraction);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(lastFrozenStage, steps, batchSize, learningRate, s, balancing, tripletWeight,
                tripletMargin, heldOutFraction);
    }

    public TrainingConfig withBalancing(Balancing b) {
        return new TrainingConfig(lastFrozenStage, steps, batchSize, learningRate, seed, b, tripletWeight,
                tripletMargin, heldOutFraction);
    }

    public TrainingConfig withTriplet(float weight, float margin) {
        return new TrainingConfig(lastFrozenStage, steps, batchSize, learningRate, seed, balancing, weight, margin,
                heldOutFraction);
    }

    public TrainingConfig withHeldOutFraction(double fraction) {
        return new TrainingConfig(lastFrozenStage, steps, batchSize, learningRate, seed, balancing, tripletWeight,
                tripletMargin, fraction);
    }
}
