package io.facestream.training.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.facestream.training.chart.ConfusionChart;
import io.facestream.training.chart.LineChart;
import io.facestream.training.chart.Series;
import io.facestream.training.evaluation.ClassScore;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a job's report into its output directory: {@code report.json}, {@code report.md},
 * {@code confusion.png} (after fine-tuning), {@code roc.png} and {@code pr.png} (before and after). Each file
 * is written under a temporary name and moved into place, so a reader never sees half a file.
 */
public final class ReportFiles {

    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";
    public static final String CONFUSION = "confusion.png";
    public static final String ROC = "roc.png";
    public static final String PRECISION_RECALL = "pr.png";

    private static final Color BEFORE = new Color(0x99, 0x99, 0x99);
    private static final Color AFTER = new Color(0x1f, 0x5f, 0xbf);

    private ReportFiles() {
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path file) throws IOException;
    }

    /** Writes the five files; returns the JSON report's path. */
    public static Path write(Path outDir, TrainingReport report) throws IOException {
        Files.createDirectories(outDir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        atomically(outDir.resolve(CONFUSION), f -> ConfusionChart.write(f, "Identification after fine-tuning",
                report.after().identification().confusion()));
        atomically(outDir.resolve(ROC), f -> LineChart.write(f, "ROC, pairs of held-out faces", "false positive rate",
                "true positive rate", true, List.of(
                        new Series(label("before", report.before().auc(), "AUC"), report.before().roc(), BEFORE),
                        new Series(label("after", report.after().auc(), "AUC"), report.after().roc(), AFTER))));
        atomically(outDir.resolve(PRECISION_RECALL), f -> LineChart.write(f, "Precision-recall, pairs of held-out faces",
                "recall", "precision", false, List.of(
                        new Series("before", report.before().precisionRecall(), BEFORE),
                        new Series("after", report.after().precisionRecall(), AFTER))));
        atomically(outDir.resolve(MARKDOWN), f -> Files.writeString(f, markdown(report)));
        Path jsonFile = outDir.resolve(JSON);
        atomically(jsonFile, f -> json.writeValue(f.toFile(), report));
        return jsonFile;
    }

    private static String label(String name, double value, String what) {
        return String.format(Locale.ROOT, "%s (%s %.4f)", name, what, value);
    }

    static String markdown(TrainingReport r) {
        StringBuilder md = new StringBuilder();
        TrainingConfig c = r.config();
        md.append("# Fine-tuning report\n\n");
        md.append(String.format(Locale.ROOT, "Base model `%s`, device `%s`; %d identities in training (%d faces), "
                + "%d identities with held-out faces (%d faces).%n%n", r.baseModel(), r.device(),
                r.trainingFaces().size(), r.trainingFaces().values().stream().mapToLong(Long::longValue).sum(),
                r.heldOutFaces().size(), r.heldOutFaces().values().stream().mapToInt(Integer::intValue).sum()));
        md.append(String.format(Locale.ROOT, "Config: frozen through `%s`, %d steps, batch %d, Adam lr %s, seed %d, "
                + "balancing %s, triplet weight %s (margin %s), held-out fraction %s.%n%n", c.lastFrozenStage(),
                c.steps(), c.batchSize(), c.learningRate(), c.seed(), c.balancing(), c.tripletWeight(),
                c.tripletMargin(), c.heldOutFraction()));
        md.append(String.format(Locale.ROOT, "Training: %.1f s, %.2f steps/s.%n%n", r.training().seconds(),
                r.training().stepsPerSecond()));
        md.append("| metric | before | after |\n|---|---|---|\n");
        row(md, "macro-F1 (held-out, nearest neighbour)", r.before().macroF1(), r.after().macroF1());
        row(md, "identification accuracy", r.before().identification().accuracy(),
                r.after().identification().accuracy());
        row(md, "verification accuracy (10-fold)", r.before().verificationAccuracy(), r.after().verificationAccuracy());
        row(md, "verification AUC", r.before().auc(), r.after().auc());
        if (r.referenceBefore() != null && r.referenceAfter() != null) {
            row(md, "reference pair accuracy", r.referenceBefore(), r.referenceAfter());
        }
        md.append("\n## Per identity\n\n| identity | training faces | held-out faces | F1 before | F1 after |\n"
                + "|---|---|---|---|---|\n");
        Map<String, Double> before = r.before().perClassF1();
        for (ClassScore s : r.after().identification().perClass()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.4f | %.4f |%n", s.identity(),
                    r.trainingFaces().getOrDefault(s.identity(), 0L), s.support(),
                    before.getOrDefault(s.identity(), Double.NaN), s.f1()));
        }
        md.append("\nCharts: `").append(CONFUSION).append("`, `").append(ROC).append("`, `")
                .append(PRECISION_RECALL).append("`. Parameters: `").append(r.parameters()).append("`.\n");
        return md.toString();
    }

    private static void row(StringBuilder md, String name, double before, double after) {
        md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f |%n", name, before, after));
    }

    private static void atomically(Path target, Writer writer) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            writer.write(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
