package io.facestream.galleryindex.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How alike a set of people's unit embeddings are: the mean cosine of two images of one person, and the mean
 * and spread of two different people's; what {@link FittedFaces} must reproduce of the faces it was fitted to.
 */
public record Cosines(double samePerson, double differentPeople, double differentSpread) {

    public static Cosines of(Map<String, List<float[]>> people) {
        List<List<float[]>> lists = new ArrayList<>(people.values());
        double same = 0;
        double diff = 0;
        double diff2 = 0;
        long ns = 0;
        long nd = 0;
        for (int p = 0; p < lists.size(); p++) {
            for (int q = p; q < lists.size(); q++) {
                for (int i = 0; i < lists.get(p).size(); i++) {
                    for (int j = p == q ? i + 1 : 0; j < lists.get(q).size(); j++) {
                        double c = dot(lists.get(p).get(i), lists.get(q).get(j));
                        if (p == q) {
                            same += c;
                            ns++;
                        } else {
                            diff += c;
                            diff2 += c * c;
                            nd++;
                        }
                    }
                }
            }
        }
        if (ns == 0 || nd == 0) {
            throw new IllegalArgumentException("need two people and a person with two images");
        }
        double mean = diff / nd;
        return new Cosines(same / ns, mean, Math.sqrt(Math.max(0, diff2 / nd - mean * mean)));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * (double) b[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "same person %.3f, different people %.3f ± %.3f", samePerson,
                differentPeople, differentSpread);
    }
}
