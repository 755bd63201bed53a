package io.facestream.galleryindex.synthetic;

import java.util.List;
import java.util.Random;

/**
 * A multivariate normal fitted to a few hundred vectors: their mean, and their covariance shrunk towards a
 * multiple of the identity by the Ledoit-Wolf estimate of the best weight, so that a covariance estimated from
 * fewer vectors than dimensions is still full rank and its small directions are not made up. Draws are
 * {@code mean + L z} with {@code L} the Cholesky factor of the shrunk covariance.
 */
final class Gaussian {

    private final double[] mean;
    /** Lower-triangular Cholesky factor, row-major. */
    private final double[][] factor;
    private final double shrinkage;

    private Gaussian(double[] mean, double[][] factor, double shrinkage) {
        this.mean = mean;
        this.factor = factor;
        this.shrinkage = shrinkage;
    }

    /** Fitted to {@code rows} (at least 2, all of one length); {@code centre} null = use their own mean. */
    static Gaussian fit(List<double[]> rows, double[] centre) {
        int n = rows.size();
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 vectors to fit, got " + n);
        }
        int d = rows.get(0).length;
        double[] mean = centre != null ? centre.clone() : new double[d];
        if (centre == null) {
            for (double[] r : rows) {
                for (int i = 0; i < d; i++) {
                    mean[i] += r[i] / n;
                }
            }
        }
        double[][] x = new double[n][d];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < d; i++) {
                x[k][i] = rows.get(k)[i] - mean[i];
            }
        }
        double[][] s = new double[d][d];
        for (double[] r : x) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    s[i][j] += r[i] * r[j] / n;
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                s[j][i] = s[i][j];
            }
        }
        // Ledoit & Wolf (2004): target mu*I, mu = tr(S)/d; weight = min(1, b^2 / d^2) with d^2 = |S - mu I|^2 and
        // b^2 = mean over rows of |x x^T - S|^2 / n (Frobenius norms)
        double mu = 0;
        for (int i = 0; i < d; i++) {
            mu += s[i][i] / d;
        }
        double dist = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double t = s[i][j] - (i == j ? mu : 0);
                dist += t * t;
            }
        }
        double spread = 0;
        for (double[] r : x) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double t = r[i] * r[j] - s[i][j];
                    spread += t * t;
                }
            }
        }
        spread /= (double) n * n;
        double w = dist == 0 ? 1 : Math.min(1, spread / dist);
        double[][] shrunk = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                shrunk[i][j] = (1 - w) * s[i][j] + (i == j ? w * mu : 0);
            }
        }
        return new Gaussian(mean, cholesky(shrunk), w);
    }

    /** {@code a = L L^T} for a symmetric positive definite {@code a}. */
    static double[][] cholesky(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new IllegalArgumentException("covariance is not positive definite");
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        return l;
    }

    int dimension() {
        return mean.length;
    }

    double shrinkage() {
        return shrinkage;
    }

    /** {@code base + L z}, z standard normal: a draw around {@code base} (null = this fit's mean). */
    double[] draw(double[] base, Random random) {
        int d = mean.length;
        double[] z = new double[d];
        for (int i = 0; i < d; i++) {
            z[i] = random.nextGaussian();
        }
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            double v = base != null ? base[i] : mean[i];
            for (int k = 0; k <= i; k++) {
                v += factor[i][k] * z[k];
            }
            out[i] = v;
        }
        return out;
    }
}
