package io.facestream.cli.command;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.facestream.cli.ModelOptions;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.ModelFile;
import io.facestream.training.crop.FaceCropper;
import io.facestream.training.dataset.ImageFolderImport;
import io.facestream.training.dataset.LabelledFaces;
import io.facestream.inference.degrade.LowResolution;
import io.facestream.training.experiment.ImbalanceExperiment;
import io.facestream.training.job.TrainingConfig;
import io.facestream.training.reference.ReferencePairs;
import io.facestream.training.split.HeldOutSplit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code train-experiment}: class balancing on an imbalanced split of faces-dev (ORL + dlib_johns + BBT), with
 * human_samples' pairs as the reference set. Prints and writes {@code experiment.md}. With {@code --face-size},
 * every aligned crop (training, held-out and reference alike) is first degraded as a low-resolution camera
 * would capture it ({@link LowResolution}).
 */
@Command(name = "train-experiment", mixinStandardHelpOptions = true,
        description = "Fine-tunes with each balancing mode on an imbalanced split of faces-dev and tabulates before/after.")
public final class TrainExperimentCommand implements Callable<Integer> {

    private static final List<String> SETS = List.of("orl_att", "dlib_johns", "bbt_faceapi");
    private static final String REFERENCE_SET = "human_samples";

    @Mixin
    ModelOptions options;

    /** The seed also picks the thinned people. */
    @Mixin
    TrainingOptions training;

    @Option(names = "--faces", required = true, paramLabel = "DIR", description = "The faces-dev folder.")
    Path faces;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (one sub-folder per run).")
    Path out;

    @Option(names = "--face-size", paramLabel = "PX",
            description = "Low-resolution camera: every aligned crop (training, held-out, reference) is "
                    + "area-downscaled to PX×PX and scaled back to 112×112 (bilinear) before anything sees it "
                    + "(default: off).")
    Integer faceSize;

    @Option(names = "--runs", paramLabel = "NAME", split = ",",
            description = "Subset of runs: class-weights, balanced-sampling, none, class-weights+triplet (default: all).")
    List<String> only;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (training.tripletWeight != null) {
            throw new ParameterException(spec.commandLine(),
                    "--triplet-weight: the experiment runs with and without the triplet term itself");
        }
        TrainingConfig config = training.applyTo(TrainingConfig.defaults());
        if (faceSize != null && (faceSize < 1 || faceSize > MobileFaceNet.INPUT_SIZE)) {
            throw new ParameterException(spec.commandLine(),
                    "--face-size must be 1.." + MobileFaceNet.INPUT_SIZE + " px, got " + faceSize);
        }
        Optional<LowResolution> camera = Optional.ofNullable(faceSize).map(LowResolution::new);
        long start = System.nanoTime();
        FaceCropper cropper = new FaceCropper(options.detector());
        LabelledFaces store = ImbalanceExperiment.alignedStore(faces, SETS, out.resolve("aligned"),
                new ImageFolderImport(cropper, options.decoder(), w -> err.println("WARN " + w)));
        if (camera.isPresent()) {
            store = ImbalanceExperiment.degradedStore(out.resolve("aligned"),
                    out.resolve("aligned-" + faceSize + "px"), camera.get());
            err.printf(Locale.ROOT, "low-resolution camera: every crop seen at %d×%d px%n", faceSize, faceSize);
        }
        HeldOutSplit split = HeldOutSplit.of(store, config.heldOutFraction(), config.seed());
        List<String> minorities = ImbalanceExperiment.minorities(split, config.seed());
        HeldOutSplit imbalanced = ImbalanceExperiment.imbalanced(split, minorities, config.seed());
        err.printf(Locale.ROOT, "%d identities, %d minorities cut to %d training faces; %d training, %d held-out faces%n",
                imbalanced.training().size(), minorities.size(), ImbalanceExperiment.MINORITY_FACES,
                imbalanced.training().values().stream().mapToInt(List::size).sum(),
                imbalanced.heldOut().values().stream().mapToInt(List::size).sum());
        Path referenceDir = faces.resolve(REFERENCE_SET);
        ReferencePairs reference = ReferencePairs.load(referenceDir.resolve("pairs.tsv"), referenceDir, cropper,
                options.decoder());
        if (camera.isPresent()) {
            reference = reference.withCrops(camera.get()::apply);
        }
        err.printf(Locale.ROOT, "reference: %s, %d pairs, %d images (%d without face)%n", REFERENCE_SET,
                reference.pairs(), reference.images(), reference.imagesWithoutFace());
        List<ImbalanceExperiment.Run> runs = ImbalanceExperiment.runs(config).stream()
                .filter(r -> only == null || only.contains(r.name())).toList();
        Device device = Engine.getEngine("PyTorch").defaultDevice();
        TrainingProgressBar bar = new TrainingProgressBar(err);
        List<ImbalanceExperiment.Row> rows = ImbalanceExperiment.run(imbalanced, minorities, store,
                options.modelFile(ModelFile.MOBILEFACENET), reference, runs, device, out, err::println, bar);
        String table = ImbalanceExperiment.table(rows);
        String seen = camera.map(c -> c.size() + "×" + c.size() + " px (low-resolution camera)")
                .orElse("full resolution");
        String summary = String.format(Locale.ROOT,
                "%s%nConfig: %s; faces %s; device %s; %d minorities %s; total %.0f s.%n", table, config, seen,
                device, minorities.size(), minorities, (System.nanoTime() - start) / 1e9);
        Files.writeString(out.resolve("experiment.md"), summary);
        stdout.print(summary);
        stdout.flush();
        return 0;
    }
}
