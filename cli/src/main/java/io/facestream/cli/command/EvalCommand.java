package io.facestream.cli.command;

import io.facestream.cli.ModelOptions;
import io.facestream.inference.evaluation.PairEvaluation;
import io.facestream.inference.evaluation.PairEvaluation.Report;
import io.facestream.inference.evaluation.PairEvaluation.ScoredPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eval}: verification accuracy over a labelled pair list (LFW protocol). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Face verification over labelled pairs: 10-fold accuracy, AUC and best threshold.")
public final class EvalCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--pairs", required = true, paramLabel = "FILE",
            description = "Tab-separated 'left right same' lines, same in {0,1}; paths relative to --root.")
    Path pairsFile;

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "Directory the pair paths start from.")
    Path root;

    @Option(names = "--out", paramLabel = "FILE", description = "Write 'left right same cosine' per pair (TSV).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<PairEvaluation.Pair> pairs;
        try {
            pairs = PairEvaluation.readPairs(pairsFile);
        } catch (IOException e) {
            err.println("ERROR " + pairsFile + ": " + e.getMessage());
            return 1;
        }
        if (pairs.isEmpty()) {
            err.println("ERROR " + pairsFile + ": no pairs");
            return 1;
        }
        Report report = new PairEvaluation(options.analyzer(), options.decoder()).evaluate(pairs, root);
        report.errors().forEach(e -> err.println("ERROR " + e));
        if (out != null) {
            List<String> lines = new ArrayList<>();
            lines.add("left\tright\tsame\tcosine");
            for (ScoredPair p : report.pairs()) {
                lines.add(String.format(Locale.ROOT, "%s\t%s\t%d\t%.6f", p.pair().left(), p.pair().right(),
                        p.pair().same() ? 1 : 0, p.cosine()));
            }
            Files.write(out, lines);
        }
        stdout.printf(Locale.ROOT, "images=%d%nimages_without_face=%d%nimages_found_after_padding=%d%nunreadable=%d%n",
                report.images(), report.imagesWithoutFace(), report.imagesPadded(), report.errors().size());
        stdout.printf(Locale.ROOT, "pairs=%d%naccuracy=%.4f%nauc=%.4f%nthreshold=%.4f%n", report.metrics().pairs(),
                report.metrics().accuracy(), report.metrics().auc(), report.metrics().threshold());
        return report.errors().size() == report.images() ? 1 : 0;
    }
}
