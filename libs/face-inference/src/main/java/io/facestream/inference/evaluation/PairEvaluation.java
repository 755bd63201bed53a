package io.facestream.inference.evaluation;

import io.facestream.core.evaluation.VerificationMetrics;
import io.facestream.core.similarity.Embedding;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.analysis.FaceLookup;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Face verification over a list of labelled image pairs (the LFW protocol): embeds the largest face of
 * each image once, scores each pair by cosine and computes {@link VerificationMetrics}. A pair with an
 * image where no face was found (even after the padded retry) scores −1, i.e. "different".
 */
public final class PairEvaluation {

    /** Score of a pair whose images cannot both be embedded. */
    public static final double NO_FACE_SCORE = -1;
    /** Border added before retrying an image without a detected face, as a fraction of each side. */
    public static final double RETRY_PADDING = 0.25;

    private final FaceAnalyzer analyzer;
    private final ImageDecoder decoder;

    public PairEvaluation(FaceAnalyzer analyzer, ImageDecoder decoder) {
        this.analyzer = analyzer;
        this.decoder = decoder;
    }

    /** One labelled pair; paths are relative to the evaluation root. */
    public record Pair(String left, String right, boolean same) {
    }

    /** A scored pair. */
    public record ScoredPair(Pair pair, double cosine, boolean bothFaces) {
    }

    /** What happened to one image. */
    public record ImageOutcome(Optional<Embedding> embedding, boolean padded, Optional<String> error) {
    }

    public record Report(List<ScoredPair> pairs, VerificationMetrics metrics, int images, int imagesWithoutFace,
            int imagesPadded, List<String> errors) {
    }

    /**
     * Reads tab-separated {@code left right same} lines (same ∈ {0,1}); a first line that is not a pair
     * (a header) and blank lines are skipped.
     */
    public static List<Pair> readPairs(Path file) throws IOException {
        List<Pair> pairs = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t");
            boolean label = f.length == 3 && (f[2].equals("0") || f[2].equals("1"));
            if (!label) {
                if (i == 0) {
                    continue; // header
                }
                throw new IOException(file + ":" + (i + 1) + ": expected 'left<TAB>right<TAB>0|1', got '" + line + "'");
            }
            pairs.add(new Pair(f[0], f[1], f[2].equals("1")));
        }
        return pairs;
    }

    public Report evaluate(List<Pair> pairs, Path root) {
        Map<String, ImageOutcome> outcomes = new LinkedHashMap<>();
        for (Pair p : pairs) {
            outcomes.computeIfAbsent(p.left(), k -> embed(root.resolve(k)));
            outcomes.computeIfAbsent(p.right(), k -> embed(root.resolve(k)));
        }
        List<ScoredPair> scored = new ArrayList<>(pairs.size());
        double[] scores = new double[pairs.size()];
        boolean[] same = new boolean[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            Optional<Embedding> a = outcomes.get(p.left()).embedding();
            Optional<Embedding> b = outcomes.get(p.right()).embedding();
            boolean both = a.isPresent() && b.isPresent();
            scores[i] = both ? a.get().cosine(b.get()) : NO_FACE_SCORE;
            same[i] = p.same();
            scored.add(new ScoredPair(p, scores[i], both));
        }
        Map<String, Integer> counts = new HashMap<>();
        List<String> errors = new ArrayList<>();
        outcomes.forEach((name, o) -> {
            o.error().ifPresent(e -> errors.add(name + ": " + e));
            if (o.error().isEmpty() && o.embedding().isEmpty()) {
                counts.merge("noface", 1, Integer::sum);
            }
            if (o.padded() && o.embedding().isPresent()) {
                counts.merge("padded", 1, Integer::sum);
            }
        });
        return new Report(scored, VerificationMetrics.evaluate(scores, same), outcomes.size(),
                counts.getOrDefault("noface", 0), counts.getOrDefault("padded", 0), errors);
    }

    /** The embedding of the largest face of one image file. */
    public ImageOutcome embed(Path file) {
        try (DecodedImage image = decoder.read(file)) {
            FaceLookup lookup = analyzer.largestFace(image.rgb(), RETRY_PADDING);
            return new ImageOutcome(lookup.face().map(f -> f.embedding()), lookup.padded(), Optional.empty());
        } catch (ImageDecodeException e) {
            return new ImageOutcome(Optional.empty(), false, Optional.of(e.getMessage()));
        }
    }
}
