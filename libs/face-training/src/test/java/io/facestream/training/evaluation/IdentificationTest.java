package io.facestream.training.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.core.similarity.Embedding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentificationTest {

    @Test
    void perClassF1AndMacroF1ByHand() {
        // truth a a a b b c, predicted a a b b c c
        Identification id = Identification.of(List.of("a", "a", "a", "b", "b", "c"),
                List.of("a", "a", "b", "b", "c", "c"));
        assertEquals(List.of("a", "b", "c"), id.confusion().labels());
        assertArrayEquals(new int[][] {{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}, id.confusion().counts());
        // a: P = 2/2, R = 2/3, F1 = 0.8;  b: P = 1/2, R = 1/2, F1 = 0.5;  c: P = 1/2, R = 1, F1 = 2/3
        ClassScore a = id.perClass().get(0);
        assertEquals(1.0, a.precision(), 1e-12);
        assertEquals(2 / 3.0, a.recall(), 1e-12);
        assertEquals(0.8, a.f1(), 1e-12);
        assertEquals(0.5, id.perClass().get(1).f1(), 1e-12);
        assertEquals(2 / 3.0, id.perClass().get(2).f1(), 1e-12);
        assertEquals((0.8 + 0.5 + 2 / 3.0) / 3, id.macroF1(), 1e-12);
        assertEquals(4 / 6.0, id.accuracy(), 1e-12);
    }

    @Test
    void aGalleryOnlyIdentityGetsNoF1OfItsOwn() {
        // truth a b, predicted x b: x has no held-out faces; a has F1 0, b has F1 1
        Identification id = Identification.of(List.of("a", "b"), List.of("x", "b"));
        assertEquals(List.of("a", "b", "x"), id.confusion().labels());
        assertEquals(2, id.perClass().size());
        assertEquals(0.0, id.perClass().get(0).f1(), 0);
        assertEquals(0.5, id.macroF1(), 1e-12);
    }

    @Test
    void nearestNeighbourTakesTheMostSimilarGalleryFace() {
        List<Embedding> gallery = List.of(Embedding.normalise(new float[] {1, 0}), Embedding.normalise(new float[] {0, 1}),
                Embedding.normalise(new float[] {1, 1}));
        List<String> labels = List.of("east", "north", "north-east");
        List<Embedding> queries = List.of(Embedding.normalise(new float[] {1, 0.1f}),
                Embedding.normalise(new float[] {0.9f, 1}), Embedding.normalise(new float[] {-0.1f, 1}));
        assertEquals(List.of("east", "north-east", "north"), NearestNeighbour.predict(gallery, labels, queries));
    }

    @Test
    void rocAndPrecisionRecallByHand() {
        double[] scores = {0.9, 0.8, 0.7, 0.1};
        boolean[] same = {true, false, true, false};
        List<CurvePoint> roc = Curves.roc(scores, same);
        double[][] expectedRoc = {{0, 0}, {0, 0.5}, {0.5, 0.5}, {0.5, 1}, {1, 1}};
        assertEquals(expectedRoc.length, roc.size());
        for (int i = 0; i < roc.size(); i++) {
            assertEquals(expectedRoc[i][0], roc.get(i).x(), 1e-12, "fpr " + i);
            assertEquals(expectedRoc[i][1], roc.get(i).y(), 1e-12, "tpr " + i);
        }
        assertEquals(0.7, roc.get(3).threshold(), 0);
        List<CurvePoint> pr = Curves.precisionRecall(scores, same);
        double[][] expectedPr = {{0.5, 1}, {0.5, 0.5}, {1, 2 / 3.0}, {1, 0.5}};
        for (int i = 0; i < pr.size(); i++) {
            assertEquals(expectedPr[i][0], pr.get(i).x(), 1e-12, "recall " + i);
            assertEquals(expectedPr[i][1], pr.get(i).y(), 1e-12, "precision " + i);
        }
        assertEquals(2, Curves.roc(new double[] {0.5, 0.5}, new boolean[] {true, false}).size(), "ties: one step");
    }

    @Test
    void thinningKeepsTheEnds() {
        List<CurvePoint> many = new java.util.ArrayList<>();
        for (int i = 0; i <= 1000; i++) {
            many.add(new CurvePoint(i / 1000.0, i / 1000.0, -i));
        }
        List<CurvePoint> thin = Curves.thinned(many, 11);
        assertEquals(11, thin.size());
        assertEquals(many.get(0), thin.get(0));
        assertEquals(many.get(1000), thin.get(10));
        assertEquals(Map.of("a", 1.0), new EvaluationReport(1, 1, Identification.of(List.of("a"), List.of("a")),
                new io.facestream.core.evaluation.VerificationMetrics(1, 1, 1, 0), thin, thin).perClassF1());
    }
}
