package io.facestream.training.job;

import io.facestream.training.evaluation.EvaluationReport;
import java.util.Map;

/**
 * Everything {@code report.json} holds about one job.
 *
 * @param baseModel       file name of the base artifact
 * @param device          where training ran, e.g. {@code cpu()} or {@code gpu(0)}
 * @param trainingFaces   training faces per identity
 * @param heldOutFaces    held-out faces per identity
 * @param training        the optimisation run
 * @param referenceBefore reference pair accuracy of the base model, or null without a reference set
 * @param referenceAfter  reference pair accuracy of the fine-tuned model, or null
 * @param parameters      file name of the fine-tuned parameter file
 */
public record TrainingReport(TrainingConfig config, String baseModel, String device, Map<String, Long> trainingFaces,
        Map<String, Integer> heldOutFaces, TrainingRun training, EvaluationReport before, EvaluationReport after,
        Double referenceBefore, Double referenceAfter, String parameters) {

    /**
     * @param losses loss of each step
     */
    public record TrainingRun(int steps, double seconds, double stepsPerSecond, double[] losses) {
    }
}
