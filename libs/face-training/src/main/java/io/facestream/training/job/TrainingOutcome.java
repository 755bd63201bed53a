package io.facestream.training.job;

import io.facestream.training.evaluation.EvaluationReport;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * What a {@link TrainingJob} produced.
 *
 * @param parameters      the fine-tuned backbone, a DJL parameter file in the output directory, loadable with
 *                        {@code Network.fromParameters(name, MobileFaceNet.build(), parameters, device)}
 * @param before          held-out evaluation of the base model
 * @param after           held-out evaluation of the fine-tuned model
 * @param referenceBefore reference pair accuracy of the base model, when a reference set was given
 * @param referenceAfter  reference pair accuracy of the fine-tuned model, when a reference set was given
 * @param reportJson      the report with both evaluations, the configuration and the curves
 */
public record TrainingOutcome(Path parameters, EvaluationReport before, EvaluationReport after,
        OptionalDouble referenceBefore, OptionalDouble referenceAfter, Path reportJson) {
}
