package io.facestream.cli.command;

import io.facestream.training.job.TrainingConfig;
import picocli.CommandLine.Option;

/** The training settings {@code train} and {@code train-experiment} share; unset ones keep their defaults. */
public final class TrainingOptions {

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (default: from TrainingConfig.defaults()).")
    Integer steps;

    @Option(names = "--batch-size", paramLabel = "N", description = "Faces per step.")
    Integer batchSize;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam learning rate.")
    Float learningRate;

    @Option(names = "--freeze-through", paramLabel = "STAGE",
            description = "Last frozen stage: stem or block01..block15 (default: block10).")
    String freezeThrough;

    @Option(names = "--triplet-weight", paramLabel = "W", description = "Weight of the triplet term (default: 0).")
    Float tripletWeight;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the split, sampling and augmentation.")
    Long seed;

    /** {@code base} with every option that was given. */
    TrainingConfig applyTo(TrainingConfig base) {
        TrainingConfig c = base;
        if (steps != null) {
            c = c.withSteps(steps);
        }
        if (batchSize != null) {
            c = c.withBatchSize(batchSize);
        }
        if (learningRate != null) {
            c = c.withLearningRate(learningRate);
        }
        if (freezeThrough != null) {
            c = c.withLastFrozenStage(freezeThrough);
        }
        if (tripletWeight != null) {
            c = c.withTriplet(tripletWeight, c.tripletMargin());
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        return c;
    }
}
