package io.facestream.training.evaluation;

import io.facestream.core.similarity.Embedding;
import java.util.ArrayList;
import java.util.List;

/** 1-nearest-neighbour identification by cosine over normalised embeddings. */
public final class NearestNeighbour {

    private NearestNeighbour() {
    }

    /**
     * The label of the most similar gallery embedding for each query; ties go to the earlier gallery entry.
     *
     * @throws IllegalArgumentException for an empty gallery or mismatched labels
     */
    public static List<String> predict(List<Embedding> gallery, List<String> galleryLabels, List<Embedding> queries) {
        if (gallery.isEmpty() || gallery.size() != galleryLabels.size()) {
            throw new IllegalArgumentException("need a non-empty gallery with one label per embedding");
        }
        List<String> out = new ArrayList<>(queries.size());
        for (Embedding q : queries) {
            int best = 0;
            double bestCos = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < gallery.size(); i++) {
                double c = q.cosine(gallery.get(i));
                if (c > bestCos) {
                    bestCos = c;
                    best = i;
                }
            }
            out.add(galleryLabels.get(best));
        }
        return out;
    }
}
