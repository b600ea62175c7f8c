package org.aleph.kernel.activations;

import java.util.SplittableRandom;
import org.aleph.kernel.spi.Activation;

/** Plain Monte Carlo of E[phi(u)phi(v)] and E[phi'(u)phi'(v)] with standard errors, from a seed. */
final class MonteCarlo {

    private MonteCarlo() {
    }

    /** {{mean, standard error} for phi, {mean, standard error} for phi'}. */
    static double[][] estimate(Activation a, double q11, double q12, double q22, int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double s1 = Math.sqrt(q11);
        double s2 = Math.sqrt(q22);
        double rho = q12 / (s1 * s2);
        double c = Math.sqrt(Math.max(0, 1 - rho * rho));
        double[] sum = new double[2];
        double[] sum2 = new double[2];
        for (int i = 0; i < samples; i++) {
            double z1 = random.nextGaussian();
            double u = s1 * z1;
            double v = s2 * (rho * z1 + c * random.nextGaussian());
            double k = a.phi(u) * a.phi(v);
            double d = a.dphi(u) * a.dphi(v);
            sum[0] += k;
            sum2[0] += k * k;
            sum[1] += d;
            sum2[1] += d * d;
        }
        double[][] out = new double[2][];
        for (int j = 0; j < 2; j++) {
            double mean = sum[j] / samples;
            out[j] = new double[] {mean, Math.sqrt(Math.max(0, sum2[j] / samples - mean * mean) / samples)};
        }
        return out;
    }
}
