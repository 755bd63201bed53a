package io.facestream.services.retrainer.config;

import io.facestream.training.job.Balancing;
import io.facestream.training.job.TrainingConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;

/**
 * The retrainer: where it keeps its data, when it trains, how, and what a candidate must show to be rolled
 * out. Training settings left unset take {@link TrainingConfig#defaults()}.
 *
 * @param workDir the labelled faces and each job's snapshot, outputs and report
 * @param modelStore where model versions are stored (their artifact URIs point into it)
 * @param signingKey the Ed25519 private key (PKCS#8, PEM or DER, readable by its owner only) every announced
 *     version is signed with; its public key must be one of {@code facestream.models.public-keys}. No default
 *     outside the embedded modes, which make a pair per data directory
 * @param retrainAfterFeedback start a job once this many faces were labelled since the last one; 0 = only
 *     on an operator's request
 * @param gateMargin a candidate's held-out macro-F1 must beat the serving model's by at least this
 * @param referenceTolerance ... and its accuracy on the reference pairs may be at most this much lower
 * @param referencePairs a fixed pair list (paths relative to {@code referenceRoot}); unset = no reference check
 * @param cropCacheBytes the crops of recent faces kept for labels that arrive later
 * @param cropLookBack faces per partition read into the cache at start-up
 * @param reconcileEvery how often gallery samples enrolled under an older version are re-embedded
 */
@ConfigurationProperties(RetrainerConfig.PREFIX)
public record RetrainerConfig(
        @Bindable(defaultValue = "retrainer") @NotBlank String workDir,
        @Bindable(defaultValue = "model-store") @NotBlank String modelStore,
        @NotBlank String signingKey,
        @Bindable(defaultValue = "200") @Min(0) int retrainAfterFeedback,
        @Nullable String lastFrozenStage,
        @Nullable @Min(1) Integer steps,
        @Nullable @Min(1) Integer batchSize,
        @Nullable Float learningRate,
        @Nullable Long seed,
        @Nullable Balancing balancing,
        @Nullable Float tripletWeight,
        @Bindable(defaultValue = "0.01") @DecimalMin("-1") @DecimalMax("1") double gateMargin,
        @Bindable(defaultValue = "0.005") @DecimalMin("0") @DecimalMax("1") double referenceTolerance,
        @Nullable String referencePairs,
        @Nullable String referenceRoot,
        @Bindable(defaultValue = "134217728") @Min(1 << 20) long cropCacheBytes,
        @Bindable(defaultValue = "2000") @Min(0) long cropLookBack,
        @Bindable(defaultValue = "30s") Duration reconcileEvery) {

    public static final String PREFIX = "facestream.retrainer";

    /** The training settings: the defaults, with whatever this configuration sets. */
    public TrainingConfig training() {
        TrainingConfig c = TrainingConfig.defaults();
        c = lastFrozenStage == null ? c : c.withLastFrozenStage(lastFrozenStage);
        c = steps == null ? c : c.withSteps(steps);
        c = batchSize == null ? c : c.withBatchSize(batchSize);
        c = learningRate == null ? c : c.withLearningRate(learningRate);
        c = seed == null ? c : c.withSeed(seed);
        c = balancing == null ? c : c.withBalancing(balancing);
        return tripletWeight == null ? c : c.withTriplet(tripletWeight, c.tripletMargin());
    }
}
