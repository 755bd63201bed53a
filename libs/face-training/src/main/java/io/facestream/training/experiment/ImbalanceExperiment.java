package io.facestream.training.experiment;

import ai.djl.Device;
import io.facestream.training.dataset.CropImages;
import io.facestream.training.dataset.ImageFolderImport;
import io.facestream.training.dataset.LabelledFaces;
import io.facestream.inference.degrade.LowResolution;
import io.facestream.training.job.Balancing;
import io.facestream.training.job.TrainingConfig;
import io.facestream.training.job.TrainingJob;
import io.facestream.training.job.TrainingOutcome;
import io.facestream.training.job.TrainingProgress;
import io.facestream.training.reference.ReferencePairs;
import io.facestream.training.split.HeldOutSplit;
import io.facestream.vision.encode.PngEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.opencv.core.Mat;

/**
 * Does class balancing help fine-tuning when some people have only a couple of labelled faces? Builds an
 * imbalanced training set from labelled face folders: a fixed held-out split per identity, then every other
 * identity (in a seeded order) keeps only {@link #MINORITY_FACES} training faces while the rest keep all of
 * theirs; fine-tunes the same base model with each balancing mode (same seed, same steps), and tabulates
 * macro-F1, the minority identities' mean F1, verification accuracy and AUC before and after.
 */
public final class ImbalanceExperiment {

    /** Training faces left to a minority identity. */
    public static final int MINORITY_FACES = 2;

    /** One fine-tuning run of the experiment. */
    public record Run(String name, TrainingConfig config) {
    }

    /** What one run measured. */
    public record Row(String name, TrainingOutcome outcome, double minorityF1Before, double minorityF1After,
            double seconds) {
    }

    /** The runs: each balancing mode, and class weights with the triplet term. */
    public static List<Run> runs(TrainingConfig base) {
        return List.of(new Run("class-weights", base.withBalancing(Balancing.CLASS_WEIGHTS)),
                new Run("balanced-sampling", base.withBalancing(Balancing.BALANCED_SAMPLING)),
                new Run("none", base.withBalancing(Balancing.NONE)),
                new Run("class-weights+triplet", base.withBalancing(Balancing.CLASS_WEIGHTS).withTriplet(0.5f, 0.2f)));
    }

    /**
     * Aligns the identities of each set folder into one store (identity {@code <set>.<folder>}), once: a store
     * that already has faces is reused.
     */
    public static LabelledFaces alignedStore(Path facesRoot, List<String> sets, Path storeDir, ImageFolderImport importer)
            throws IOException {
        LabelledFaces store = new LabelledFaces(storeDir);
        if (!store.counts().isEmpty()) {
            return store;
        }
        for (String set : sets) {
            try (Stream<Path> dirs = Files.list(facesRoot.resolve(set))) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    importer.importIdentity(set + "." + dir.getFileName(), ImageFolderImport.images(dir), store);
                }
            }
        }
        return store;
    }

    /**
     * A copy of an aligned store as a low-resolution camera would have captured it: every crop (faces and
     * hard negatives) through {@code camera}, written to {@code targetDir} under the same relative path. The
     * file keeps its name (the hash of the full-resolution crop), so a seeded split of the copy holds out the
     * same faces as the original's. Files already in {@code targetDir} are overwritten.
     */
    public static LabelledFaces degradedStore(Path storeDir, Path targetDir, LowResolution camera) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(storeDir)) {
            files = s.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
        for (Path file : files) {
            Path to = targetDir.resolve(storeDir.relativize(file).toString());
            Files.createDirectories(to.getParent());
            Mat crop = CropImages.read(file);
            try {
                Mat seen = camera.apply(crop);
                try {
                    Files.write(to, PngEncoder.rgb(seen));
                } finally {
                    seen.release();
                }
            } finally {
                crop.release();
            }
        }
        return new LabelledFaces(targetDir);
    }

    /** The identities thinned to minorities: every other one of a seeded shuffle of those in training. */
    public static List<String> minorities(HeldOutSplit split, long seed) {
        List<String> ids = new ArrayList<>(split.training().keySet());
        Collections.shuffle(ids, new Random(seed));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 2) {
            out.add(ids.get(i));
        }
        Collections.sort(out);
        return out;
    }

    /** The split with each minority identity's training faces cut to {@link #MINORITY_FACES} (seeded choice). */
    public static HeldOutSplit imbalanced(HeldOutSplit split, List<String> minorities, long seed) {
        Map<String, List<Path>> training = new TreeMap<>();
        split.training().forEach((id, files) -> {
            if (minorities.contains(id) && files.size() > MINORITY_FACES) {
                List<Path> shuffled = new ArrayList<>(files);
                Collections.shuffle(shuffled, new Random(seed ^ id.hashCode()));
                training.put(id, shuffled.subList(0, MINORITY_FACES));
            } else {
                training.put(id, files);
            }
        });
        return split.withTraining(training);
    }

    /** Runs every fine-tuning and returns one row per run. */
    public static List<Row> run(HeldOutSplit split, List<String> minorities, LabelledFaces negatives, Path baseModel,
            ReferencePairs reference, List<Run> runs, Device device, Path outDir,
            Consumer<String> log, TrainingProgress progress) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Run run : runs) {
            log.accept("run " + run.name());
            long start = System.nanoTime();
            TrainingOutcome outcome = new TrainingJob(run.config(), device).run(split, negatives, baseModel, reference,
                    outDir.resolve(run.name()), progress);
            double seconds = (System.nanoTime() - start) / 1e9;
            rows.add(new Row(run.name(), outcome, meanF1(outcome.before().perClassF1(), minorities),
                    meanF1(outcome.after().perClassF1(), minorities), seconds));
            log.accept(table(rows));
        }
        return rows;
    }

    static double meanF1(Map<String, Double> perClass, List<String> ids) {
        return ids.stream().filter(perClass::containsKey).mapToDouble(perClass::get).average().orElse(Double.NaN);
    }

    /** A Markdown table of the rows: before → after for each figure. */
    public static String table(List<Row> rows) {
        StringBuilder md = new StringBuilder();
        boolean reference = rows.stream().anyMatch(r -> r.outcome().referenceBefore().isPresent());
        md.append("| run | macro-F1 | minority mean F1 | verification accuracy | AUC |")
                .append(reference ? " reference accuracy |" : "").append(" time |\n");
        md.append("|---|---|---|---|---|").append(reference ? "---|" : "").append("---|\n");
        for (Row r : rows) {
            TrainingOutcome o = r.outcome();
            md.append("| ").append(r.name()).append(" | ")
                    .append(arrow(o.before().macroF1(), o.after().macroF1())).append(" | ")
                    .append(arrow(r.minorityF1Before(), r.minorityF1After())).append(" | ")
                    .append(arrow(o.before().verificationAccuracy(), o.after().verificationAccuracy())).append(" | ")
                    .append(arrow(o.before().auc(), o.after().auc())).append(" | ");
            if (reference) {
                md.append(arrow(o.referenceBefore().orElse(Double.NaN), o.referenceAfter().orElse(Double.NaN)))
                        .append(" | ");
            }
            md.append(String.format(Locale.ROOT, "%.0f s |%n", r.seconds()));
        }
        return md.toString();
    }

    private static String arrow(double before, double after) {
        return String.format(Locale.ROOT, "%.4f → %.4f", before, after);
    }

    private ImbalanceExperiment() {
    }
}
