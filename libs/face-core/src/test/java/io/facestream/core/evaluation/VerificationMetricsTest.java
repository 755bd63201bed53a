package io.facestream.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VerificationMetricsTest {

    @Test
    void aucByHandWithATie() {
        // positives 0.9, 0.5; negatives 0.5, 0.1: pairs (P>N) = 3 wins + 1 tie of 4 → 3.5/4
        double auc = VerificationMetrics.auc(new double[] {0.9, 0.5, 0.5, 0.1}, new boolean[] {true, true, false, false});
        assertEquals(0.875, auc, 1e-12);
    }

    @Test
    void bestThresholdSitsBetweenTheClasses() {
        double[] s = {0.1, 0.2, 0.3, 0.7, 0.8, 0.9};
        boolean[] y = {false, false, false, true, true, true};
        boolean[] all = {true, true, true, true, true, true};
        assertEquals(0.5, VerificationMetrics.bestThreshold(s, y, all), 1e-12);
    }

    @Test
    void separableScoresGiveFullAccuracyAndOverlappingOnesDoNot() {
        Random r = new Random(7);
        int n = 400;
        double[] s = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2 == 0;
            s[i] = (y[i] ? 0.6 : 0.1) + 0.3 * r.nextDouble();
        }
        VerificationMetrics m = VerificationMetrics.evaluate(s, y);
        assertEquals(1.0, m.accuracy(), 1e-12);
        assertEquals(1.0, m.auc(), 1e-12);
        // Fully random labels: accuracy near chance.
        for (int i = 0; i < n; i++) {
            y[i] = r.nextBoolean();
        }
        VerificationMetrics noise = VerificationMetrics.evaluate(s, y);
        assertEquals(0.5, noise.accuracy(), 0.1);
        assertEquals(n, noise.pairs());
    }
}
