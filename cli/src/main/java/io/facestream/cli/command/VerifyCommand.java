package io.facestream.cli.command;

import io.facestream.cli.ModelOptions;
import io.facestream.core.similarity.Embedding;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.analysis.FaceLookup;
import io.facestream.inference.evaluation.PairEvaluation;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verify}: are the largest faces of two images the same person? */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare the largest face of two images; prints cosine=<float> same=<true|false>.")
public final class VerifyCommand implements Callable<Integer> {

    /**
     * Cosine above which two faces are taken as the same person: the best threshold of the 10-fold
     * verification protocol over all pairs of shared/faces-dev (see README, "Accuracy").
     */
    public static final String DEFAULT_THRESHOLD = "0.43";

    @Mixin
    ModelOptions options;

    @Option(names = "--threshold", paramLabel = "COSINE", defaultValue = DEFAULT_THRESHOLD,
            description = "Same person when cosine >= this (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Parameters(index = "0", paramLabel = "IMAGE_A")
    Path first;

    @Parameters(index = "1", paramLabel = "IMAGE_B")
    Path second;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ImageDecoder decoder = options.decoder();
        Optional<Embedding> a = embed(first, decoder, err);
        Optional<Embedding> b = embed(second, decoder, err);
        if (a.isEmpty() || b.isEmpty()) {
            return 1;
        }
        double cosine = a.get().cosine(b.get());
        spec.commandLine().getOut().printf(Locale.ROOT, "cosine=%.6f same=%s%n", cosine, cosine >= threshold);
        return 0;
    }

    private Optional<Embedding> embed(Path image, ImageDecoder decoder, PrintWriter err) {
        try (DecodedImage decoded = decoder.read(image)) {
            FaceAnalyzer analyzer = options.analyzer();
            FaceLookup lookup = analyzer.largestFace(decoded.rgb(), PairEvaluation.RETRY_PADDING);
            if (lookup.face().isEmpty()) {
                err.println("ERROR " + image + ": no face found");
            }
            return lookup.face().map(f -> f.embedding());
        } catch (ImageDecodeException e) {
            err.println("ERROR " + image + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
