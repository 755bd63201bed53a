package io.facestream.training.evaluation;

import io.facestream.core.evaluation.VerificationMetrics;
import io.facestream.core.similarity.Embedding;
import io.facestream.training.dataset.CropImages;
import io.facestream.training.split.HeldOutSplit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;

/**
 * Evaluates a model on a split: the training faces of each identity form the gallery, each held-out face is
 * identified as the identity of its most similar gallery face (cosine), and all pairs among held-out faces
 * are scored for verification (same person or not).
 */
public final class HeldOutEvaluation {

    /** Points kept per curve in the report. */
    public static final int CURVE_POINTS = 200;
    private static final int CHUNK = 64;

    private HeldOutEvaluation() {
    }

    public static EvaluationReport evaluate(CropEmbedder embedder, HeldOutSplit split) throws IOException {
        Labelled gallery = embed(embedder, split.training());
        Labelled queries = embed(embedder, split.heldOut());
        if (queries.embeddings.isEmpty()) {
            throw new IllegalArgumentException("the split holds out no faces");
        }
        List<String> predicted = NearestNeighbour.predict(gallery.embeddings, gallery.labels, queries.embeddings);
        Identification identification = Identification.of(queries.labels, predicted);
        int n = queries.embeddings.size();
        int pairs = n * (n - 1) / 2;
        double[] scores = new double[pairs];
        boolean[] same = new boolean[pairs];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                scores[k] = queries.embeddings.get(i).cosine(queries.embeddings.get(j));
                same[k++] = queries.labels.get(i).equals(queries.labels.get(j));
            }
        }
        VerificationMetrics verification = VerificationMetrics.evaluate(scores, same);
        return new EvaluationReport(gallery.embeddings.size(), n, identification, verification,
                Curves.thinned(Curves.roc(scores, same), CURVE_POINTS),
                Curves.thinned(Curves.precisionRecall(scores, same), CURVE_POINTS));
    }

    private record Labelled(List<String> labels, List<Embedding> embeddings) {
    }

    private static Labelled embed(CropEmbedder embedder, Map<String, List<Path>> faces) throws IOException {
        List<String> labels = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        faces.forEach((id, list) -> list.forEach(f -> {
            labels.add(id);
            files.add(f);
        }));
        List<Embedding> embeddings = new ArrayList<>(files.size());
        for (int start = 0; start < files.size(); start += CHUNK) {
            List<Mat> crops = new ArrayList<>();
            try {
                for (Path f : files.subList(start, Math.min(files.size(), start + CHUNK))) {
                    crops.add(CropImages.read(f));
                }
                embeddings.addAll(embedder.embed(crops));
            } finally {
                crops.forEach(Mat::release);
            }
        }
        return new Labelled(labels, embeddings);
    }
}
