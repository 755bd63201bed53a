package io.facestream.training.job;

import ai.djl.Device;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.Network;
import io.facestream.training.dataset.LabelledFaces;
import io.facestream.training.evaluation.EvaluationReport;
import io.facestream.training.evaluation.HeldOutEvaluation;
import io.facestream.training.finetune.FineTuneSettings;
import io.facestream.training.finetune.FineTuner;
import io.facestream.training.finetune.TrainingExamples;
import io.facestream.training.reference.ReferencePairs;
import io.facestream.training.split.HeldOutSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One retraining run, the entry point for the retrainer service and the command line: split the labelled
 * faces (held-out faces per identity), evaluate the base model, fine-tune it, evaluate the result the same
 * way, write the report and, last, the parameter file. Whether the result replaces the active model is the
 * {@code EvaluationGate}'s decision, not the job's.
 *
 * <p>A job that fails leaves no parameter file: it is written under a temporary name and moved into place
 * as the very last step, so its presence means the job finished.
 */
public final class TrainingJob {

    /** File name of the fine-tuned backbone in the output directory. */
    public static final String PARAMETERS = "mobilefacenet-finetuned.params";
    private static final int EMBED_BATCH = 32;

    private final TrainingConfig config;
    private final Device device;

    public TrainingJob(TrainingConfig config, Device device) {
        this.config = config;
        this.device = device;
    }

    /**
     * @param baseModel .tflite or DJL parameter file of MobileFaceNet
     * @param reference may be null
     * @throws IllegalArgumentException when fewer than two identities have held-out faces
     */
    public TrainingOutcome run(LabelledFaces data, Path baseModel, ReferencePairs reference, Path outDir,
            TrainingProgress progress) throws IOException {
        progress.phase("split");
        HeldOutSplit split = HeldOutSplit.of(data, config.heldOutFraction(), config.seed());
        return run(split, data, baseModel, reference, outDir, progress);
    }

    /**
     * Runs on a split made by the caller (e.g. an experiment that thins some identities' training faces).
     *
     * @param negatives where the hard negatives of each identity are kept; may be null
     */
    public TrainingOutcome run(HeldOutSplit split, LabelledFaces negatives, Path baseModel, ReferencePairs reference,
            Path outDir, TrainingProgress progress) throws IOException {
        if (split.heldOut().size() < 2) {
            throw new IllegalArgumentException("need at least 2 identities with held-out faces (an identity needs "
                    + HeldOutSplit.MIN_FACES_TO_HOLD_OUT + " faces to hold one out), got " + split.heldOut().size()
                    + ": " + split.heldOut().keySet());
        }
        if (split.heldOut().values().stream().noneMatch(faces -> faces.size() >= 2)) {
            // Verification needs a genuine pair among the held-out faces, i.e. two of one person.
            throw new IllegalArgumentException("need an identity with at least 2 held-out faces for verification "
                    + "pairs; label more faces (held out: " + split.heldOut().size() + " identities, one face each)");
        }
        Files.createDirectories(outDir);
        Path tmp = outDir.resolve("." + PARAMETERS + ".tmp");
        try {
            return runSplit(split, negatives, baseModel, reference, outDir, tmp, progress);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private TrainingOutcome runSplit(HeldOutSplit split, LabelledFaces negatives, Path baseModel,
            ReferencePairs reference, Path outDir, Path tmp, TrainingProgress progress) throws IOException {
        EvaluationReport before;
        OptionalDouble referenceBefore;
        FineTuner.Result result;
        try (Network network = MobileFaceNet.open(baseModel, device)) {
            progress.phase("evaluate-before");
            FaceEmbedder embedder = new FaceEmbedder(network, EMBED_BATCH);
            before = HeldOutEvaluation.evaluate(embedder::embed, split);
            referenceBefore = reference == null ? OptionalDouble.empty()
                    : OptionalDouble.of(reference.evaluate(embedder::embed).accuracy());
            progress.phase("train");
            TrainingExamples examples = TrainingExamples.load(split, negatives);
            result = new FineTuner(device).train(network, examples, settings(), progress::step);
            network.saveParameters(tmp);
        }
        EvaluationReport after;
        OptionalDouble referenceAfter;
        try (Network tuned = Network.fromParameters("mobilefacenet-finetuned", MobileFaceNet.build(), tmp, device)) {
            progress.phase("evaluate-after");
            FaceEmbedder embedder = new FaceEmbedder(tuned, EMBED_BATCH);
            after = HeldOutEvaluation.evaluate(embedder::embed, split);
            referenceAfter = reference == null ? OptionalDouble.empty()
                    : OptionalDouble.of(reference.evaluate(embedder::embed).accuracy());
        }
        progress.phase("report");
        Map<String, Integer> heldOut = new TreeMap<>();
        split.heldOut().forEach((id, files) -> heldOut.put(id, files.size()));
        double seconds = result.seconds();
        TrainingReport report = new TrainingReport(config, baseModel.getFileName().toString(), device.toString(),
                split.trainingCounts(), heldOut, new TrainingReport.TrainingRun(config.steps(), seconds,
                        seconds > 0 ? config.steps() / seconds : 0, result.losses()),
                before, after, boxed(referenceBefore), boxed(referenceAfter), PARAMETERS);
        Path json = ReportFiles.write(outDir, report);
        Path parameters = outDir.resolve(PARAMETERS);
        Files.move(tmp, parameters, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new TrainingOutcome(parameters, before, after, referenceBefore, referenceAfter, json);
    }

    private FineTuneSettings settings() {
        return new FineTuneSettings(config.lastFrozenStage(), config.steps(), config.batchSize(),
                config.learningRate(), config.seed(), config.balancing() == Balancing.BALANCED_SAMPLING,
                config.balancing() == Balancing.CLASS_WEIGHTS, config.tripletWeight(), config.tripletMargin());
    }

    public TrainingConfig config() {
        return config;
    }

    private static Double boxed(OptionalDouble d) {
        return d.isPresent() ? d.getAsDouble() : null;
    }
}
