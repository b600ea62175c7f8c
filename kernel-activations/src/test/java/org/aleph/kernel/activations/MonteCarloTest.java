package org.aleph.kernel.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

/**
 * Monte Carlo sanity check, independent of any quadrature: sample (u, v) from the bivariate
 * normal, average phi(u) phi(v) and phi'(u) phi'(v), and require agreement within five
 * standard errors (a fixed seed keeps the test deterministic).
 */
class MonteCarloTest {

    private static final int SAMPLES = 200_000;

    private static void agree(String name, double q11, double q12, double q22, double... args) {
        Activation a = Builtins.create(name, args);
        SplittableRandom random = new SplittableRandom(7 + name.hashCode());
        double s1 = Math.sqrt(q11);
        double s2 = Math.sqrt(q22);
        double rho = q12 / (s1 * s2);
        double c = Math.sqrt(1 - rho * rho);
        double sum = 0;
        double sum2 = 0;
        double dsum = 0;
        double dsum2 = 0;
        for (int i = 0; i < SAMPLES; i++) {
            double z1 = gaussian(random);
            double z2 = gaussian(random);
            double u = s1 * z1;
            double v = s2 * (rho * z1 + c * z2);
            double k = a.phi(u) * a.phi(v);
            double d = a.dphi(u) * a.dphi(v);
            sum += k;
            sum2 += k * k;
            dsum += d;
            dsum2 += d * d;
        }
        double mean = sum / SAMPLES;
        double se = Math.sqrt((sum2 / SAMPLES - mean * mean) / SAMPLES);
        double dmean = dsum / SAMPLES;
        double dse = Math.sqrt((dsum2 / SAMPLES - dmean * dmean) / SAMPLES);
        double[] exact = Builtins.at(a, q11, q12, q22);
        assertEquals(exact[0], mean, 5 * se + 1e-12, name + " E[phi phi]");
        assertEquals(exact[1], dmean, 5 * dse + 1e-12, name + " E[phi' phi']");
    }

    /** Box-Muller, so that the sampler is written here too. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Test
    void geluGaborAndRectifiedMonomialAgreeWithSampling() {
        agree("Gelu", 1.3, -0.6, 0.8);
        agree("Gabor", 0.7, 0.5, 2.0);
        agree("RectifiedMonomial", 1.1, -0.4, 0.9, 3);
        agree("Erf", 2.0, 1.2, 1.5, 0.8, 1.7, 0.2);
        agree("Hermite", 1.5, 0.9, 0.7, 4);
    }
}
