package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

/**
 * Real finite random networks of width 2048 in the NTK parameterisation
 * (z = W_std W y / sqrt(fan_in) + b_std b, W and b standard normal) agree with the analytic
 * NNGP within their statistical error. For each seed the output covariance given the last
 * hidden layer is W_std^2 (1/n) sum_i phi_i(x) phi_i(x') + b_std^2 (exact for the Gaussian
 * readout); its mean over seeds estimates the NNGP with a bias of order 1/n, far below the
 * Monte Carlo standard error used as the tolerance.
 */
class FiniteNetworkMonteCarloTest {

    private static final int WIDTH = 2048;
    private static final int SEEDS = 24;

    @Test
    void reluErfNetworkMatchesAnalyticNngp() {
        ActivationRegistry registry = TestActivations.registry();
        Network net = Network.parse("Dense(1.5, 0.05) Relu Dense(1.3, 0.2) Erf Dense(1.1, 0.1)", registry);
        SplittableRandom data = new SplittableRandom(11);
        int n = 5;
        int d = 10;
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int c = 0; c < d; c++) {
                row[c] = data.nextGaussian();
            }
        }
        x[4] = x[0].clone(); // a duplicate: rho = 1
        double[][] analytic = net.kernels(Matrix.of(x), null).nngp().toArray();

        double[][] sum = new double[n][n];
        double[][] sumSq = new double[n][n];
        for (int s = 0; s < SEEDS; s++) {
            double[][] k = conditionalOutputKernel(new SplittableRandom(1000 + s), x,
                    new double[] {1.5, 1.3}, new double[] {0.05, 0.2},
                    new Activation[] {TestActivations.RELU, TestActivations.ERF}, 1.1, 0.1);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    sum[i][j] += k[i][j];
                    sumSq[i][j] += k[i][j] * k[i][j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double mean = sum[i][j] / SEEDS;
                double var = (sumSq[i][j] / SEEDS - mean * mean) * SEEDS / (SEEDS - 1);
                double se = Math.sqrt(var / SEEDS);
                double err = Math.abs(mean - analytic[i][j]);
                assertTrue(err <= 4 * se + 1e-12, "entry " + i + "," + j + ": Monte Carlo " + mean + " +- " + se
                        + " vs analytic " + analytic[i][j]);
                assertTrue(se < 0.02 * Math.abs(analytic[i][i]), "the test has power: standard error " + se);
            }
        }
    }

    /** One random network: hidden Dense+activation layers of width WIDTH, then the readout covariance. */
    private static double[][] conditionalOutputKernel(SplittableRandom rnd, double[][] x, double[] w, double[] b,
                                                      Activation[] acts, double wOut, double bOut) {
        int n = x.length;
        double[][] y = x;
        for (int l = 0; l < acts.length; l++) {
            int fanIn = y[0].length;
            double[][] z = new double[n][WIDTH];
            double scale = w[l] / Math.sqrt(fanIn);
            for (int unit = 0; unit < WIDTH; unit++) {
                double[] weights = new double[fanIn];
                for (int c = 0; c < fanIn; c++) {
                    weights[c] = rnd.nextGaussian();
                }
                double bias = b[l] * rnd.nextGaussian();
                for (int p = 0; p < n; p++) {
                    double s = 0;
                    for (int c = 0; c < fanIn; c++) {
                        s += weights[c] * y[p][c];
                    }
                    z[p][unit] = acts[l].phi(scale * s + bias);
                }
            }
            y = z;
        }
        double[][] k = new double[n][n];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                double s = 0;
                for (int unit = 0; unit < WIDTH; unit++) {
                    s += y[p][unit] * y[q][unit];
                }
                k[p][q] = wOut * wOut * s / WIDTH + bOut * bOut;
            }
        }
        return k;
    }
}
