package io.facestream.cli.command;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.facestream.cli.ModelOptions;
import io.facestream.inference.model.ModelFile;
import io.facestream.training.crop.FaceCropper;
import io.facestream.training.dataset.ImageFolderImport;
import io.facestream.training.dataset.LabelledFaces;
import io.facestream.training.evaluation.EvaluationReport;
import io.facestream.training.job.Balancing;
import io.facestream.training.job.TrainingConfig;
import io.facestream.training.job.TrainingJob;
import io.facestream.training.job.TrainingOutcome;
import io.facestream.training.reference.ReferencePairs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: fine-tunes MobileFaceNet on a folder of labelled faces and reports before/after. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tunes MobileFaceNet on labelled faces (<DIR>/<identity>/*.png|jpg; photos are detected "
                + "and aligned first, 112x112 crops are taken as aligned) and evaluates it on held-out faces.")
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Mixin
    TrainingOptions training;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "<DIR>/<identity>/*.{png,jpg}.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output: the aligned store, report.json, report.md, PNG charts and the parameter file.")
    Path out;

    @Option(names = "--base", paramLabel = "FILE",
            description = "Base model: a .tflite or a parameter file (default: MobileFaceNet.tflite of --model-dir).")
    Path base;

    @Option(names = "--balancing", paramLabel = "MODE",
            description = "CLASS_WEIGHTS (default), BALANCED_SAMPLING or NONE.")
    Balancing balancing;

    @Option(names = "--no-class-weights", description = "Same as --balancing NONE.")
    boolean noClassWeights;

    @Option(names = "--reference-pairs", paramLabel = "FILE",
            description = "A fixed pair list (left<TAB>right<TAB>0|1) scored before and after.")
    Path referencePairs;

    @Option(names = "--reference-root", paramLabel = "DIR", description = "Directory the reference pair paths start from.")
    Path referenceRoot;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (noClassWeights && balancing == Balancing.CLASS_WEIGHTS) {
            err.println("ERROR --no-class-weights contradicts --balancing CLASS_WEIGHTS");
            return 2;
        }
        if ((referencePairs == null) != (referenceRoot == null)) {
            err.println("ERROR --reference-pairs and --reference-root go together");
            return 2;
        }
        if (!Files.isDirectory(data)) {
            err.println("ERROR --data " + data + " is not a directory");
            return 2;
        }
        TrainingConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            err.println("ERROR " + e.getMessage());
            return 2;
        }
        Path baseModel = base != null ? base : options.modelFile(ModelFile.MOBILEFACENET);
        FaceCropper cropper = new FaceCropper(options.detector());
        Path storeDir = out.resolve("dataset");
        if (data.toAbsolutePath().normalize().startsWith(storeDir.toAbsolutePath().normalize())) {
            err.println("ERROR --data must not lie inside " + storeDir + ", which train rebuilds");
            return 2;
        }
        deleteTree(storeDir); // the store mirrors --data as it is now
        LabelledFaces store = new LabelledFaces(storeDir);
        ImageFolderImport.Summary imported = new ImageFolderImport(cropper, options.decoder(),
                w -> err.println("WARN " + w)).importFolder(data, store);
        err.printf(Locale.ROOT, "imported %d faces (%d already aligned) of %d identities; %d images skipped%n",
                imported.stored(), imported.aligned(), store.counts().size(), imported.skipped().size());
        ReferencePairs reference = referencePairs == null ? null
                : ReferencePairs.load(referencePairs, referenceRoot, cropper, options.decoder());
        Device device = Engine.getEngine("PyTorch").defaultDevice();
        TrainingProgressBar bar = new TrainingProgressBar(err);
        TrainingOutcome outcome;
        try {
            outcome = new TrainingJob(config, device).run(store, baseModel, reference, out, bar);
        } catch (IllegalArgumentException e) {
            bar.endLine();
            err.println("ERROR " + e.getMessage());
            return 1;
        }
        print(stdout, outcome);
        err.println("wrote " + outcome.parameters() + " and " + outcome.reportJson());
        return 0;
    }

    private TrainingConfig config() {
        TrainingConfig c = training.applyTo(TrainingConfig.defaults());
        if (balancing != null) {
            c = c.withBalancing(balancing);
        } else if (noClassWeights) {
            c = c.withBalancing(Balancing.NONE);
        }
        return c;
    }

    static void print(PrintWriter stdout, TrainingOutcome o) {
        line(stdout, "macro_f1_before", o.before().macroF1());
        line(stdout, "macro_f1_after", o.after().macroF1());
        line(stdout, "verification_accuracy_before", o.before().verificationAccuracy());
        line(stdout, "verification_accuracy_after", o.after().verificationAccuracy());
        line(stdout, "auc_before", o.before().auc());
        line(stdout, "auc_after", o.after().auc());
        worst(stdout, "before", o.before());
        worst(stdout, "after", o.after());
        if (o.referenceBefore().isPresent() && o.referenceAfter().isPresent()) {
            line(stdout, "reference_accuracy_before", o.referenceBefore().getAsDouble());
            line(stdout, "reference_accuracy_after", o.referenceAfter().getAsDouble());
        }
        stdout.flush();
    }

    /** The identity with the lowest F1: where a minority class shows first. */
    private static void worst(PrintWriter stdout, String when, EvaluationReport r) {
        r.perClassF1().entrySet().stream().min(Map.Entry.<String, Double>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                .ifPresent(e -> stdout.printf(Locale.ROOT, "lowest_class_f1_%s=%.4f %s%n", when, e.getValue(),
                        e.getKey()));
    }

    private static void line(PrintWriter stdout, String name, double value) {
        stdout.printf(Locale.ROOT, "%s=%.4f%n", name, value);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
