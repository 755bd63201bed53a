package io.facestream.galleryindex.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianTest {

    @Test
    void choleskyOfAHandCheckedMatrix() {
        // [[4, 2], [2, 3]] = L L^T with L = [[2, 0], [1, sqrt 2]]
        double[][] l = Gaussian.cholesky(new double[][] {{4, 2}, {2, 3}});
        assertEquals(2, l[0][0], 1e-12);
        assertEquals(0, l[0][1], 1e-12);
        assertEquals(1, l[1][0], 1e-12);
        assertEquals(Math.sqrt(2), l[1][1], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Gaussian.cholesky(new double[][] {{1, 2}, {2, 1}}));
    }

    @Test
    void manyDrawsGiveBackTheMeanAndCovarianceWithLittleShrinkage() {
        // x = (3 + 2a, -1 + a + b): variances 4 and 2, covariance 2
        Random random = new Random(7);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            rows.add(new double[] {3 + 2 * a, -1 + a + b});
        }
        Gaussian g = Gaussian.fit(rows, null);
        assertTrue(g.shrinkage() < 0.01, "shrinkage " + g.shrinkage());
        double[] m = new double[2];
        double[][] c = new double[2][2];
        int n = 20_000;
        List<double[]> draws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            draws.add(g.draw(null, random));
        }
        for (double[] d : draws) {
            m[0] += d[0] / n;
            m[1] += d[1] / n;
        }
        for (double[] d : draws) {
            c[0][0] += (d[0] - m[0]) * (d[0] - m[0]) / n;
            c[1][1] += (d[1] - m[1]) * (d[1] - m[1]) / n;
            c[0][1] += (d[0] - m[0]) * (d[1] - m[1]) / n;
        }
        assertEquals(3, m[0], 0.05);
        assertEquals(-1, m[1], 0.05);
        assertEquals(4, c[0][0], 0.15);
        assertEquals(2, c[1][1], 0.1);
        assertEquals(2, c[0][1], 0.1);
    }

    @Test
    void fewerVectorsThanDimensionsStillFitAFullRankCovariance() {
        Random random = new Random(3);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            double[] r = new double[20];
            for (int j = 0; j < r.length; j++) {
                r[j] = random.nextGaussian();
            }
            rows.add(r);
        }
        Gaussian g = Gaussian.fit(rows, null); // the sample covariance has rank 4: Cholesky alone would fail
        assertTrue(g.shrinkage() > 0.1 && g.shrinkage() <= 1, "shrinkage " + g.shrinkage());
        assertEquals(20, g.draw(null, random).length);
    }
}
