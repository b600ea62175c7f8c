package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.aleph.kernel.spi.Provenance;
import org.junit.jupiter.api.Test;

/**
 * {@link QuadratureActivation} as the recursion uses it: provenance, a tile-shaped batch
 * (pairs, then row and column variances; Mehler's series with a shared cache), agreement with a
 * Monte Carlo estimate, and the one-dimensional helpers.
 */
class QuadratureActivationTest {

    private static final QuadratureActivation TANH =
            new QuadratureActivation("Tanh", Math::tanh, x -> 1 / (Math.cosh(x) * Math.cosh(x)), new double[0]);
    private static final QuadratureActivation RELU =
            new QuadratureActivation("Relu", x -> Math.max(x, 0), x -> x > 0 ? 1 : 0, new double[] {0}, "test");

    @Test
    void provenanceStatesRuleAndPromise() {
        Provenance p = TANH.provenance();
        assertEquals(Provenance.Kind.QUADRATURE, p.kind());
        assertEquals(1e-9, p.relativeAccuracy());
        assertTrue(p.detail().contains("Gauss-Legendre") && p.detail().contains("1e-9"), p.detail());
        Provenance r = RELU.provenance();
        assertEquals(1e-7, r.relativeAccuracy());
        assertTrue(r.detail().contains("kinks [0.0]") && r.detail().contains("1e-7") && r.detail().endsWith("; test"),
                r.detail());
        assertArrayEquals(new double[] {0}, RELU.kinks());
    }

    /** A 20 x 20 tile with its variances appended, twice (the second time from the caches): Relu against Cho & Saul. */
    @Test
    void tileBatchMatchesClosedFormTwice() {
        int tr = 20;
        int tc = 20;
        int m = tr * tc;
        int n = m + tr + tc;
        Random rnd = new Random(7);
        double[] qr = new double[tr];
        double[] qc = new double[tc];
        for (int i = 0; i < tr; i++) {
            qr[i] = 0.1 + 3 * rnd.nextDouble();
        }
        for (int j = 0; j < tc; j++) {
            qc[j] = 0.1 + 3 * rnd.nextDouble();
        }
        double[] a = new double[n];
        double[] b = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < tr; i++) {
            for (int j = 0; j < tc; j++) {
                int e = i * tc + j;
                a[e] = qr[i];
                c[e] = qc[j];
                b[e] = (2 * rnd.nextDouble() - 1) * Math.sqrt(qr[i] * qc[j]);
            }
        }
        for (int e = m; e < n; e++) {
            double q = e < m + tr ? qr[e - m] : qc[e - m - tr];
            a[e] = q;
            b[e] = q;
            c[e] = q;
        }
        for (int pass = 0; pass < 2; pass++) {
            double[] k = new double[n];
            double[] d = new double[n];
            RELU.expectations(a, b, c, n, k, d);
            for (int e = 0; e < n; e++) {
                double exactK = ClosedForms.arcCosine(1, a[e], b[e], c[e]);
                double exactD = ClosedForms.arcCosine(0, a[e], b[e], c[e]);
                double boundK = Math.sqrt(a[e] * c[e]) / 2;
                assertTrue(Math.abs(k[e] - exactK) <= 1e-7 * Math.max(Math.abs(exactK), 1e-6 * boundK),
                        "nngp entry " + e + ": " + k[e] + " vs " + exactK);
                assertTrue(Math.abs(d[e] - exactD) <= 1e-7 * Math.max(exactD, 0.5e-6), "dnngp entry " + e + ": " + d[e] + " vs " + exactD);
            }
        }
        double[] onlyK = new double[n];
        RELU.expectations(a, b, c, n, onlyK, null);
        assertEquals(ClosedForms.arcCosine(1, a[3], b[3], c[3]), onlyK[3], 1e-7 * onlyK[3]);
    }

    /** Tanh and Tanh' against 400 000 samples: within 5 standard errors. */
    @Test
    void tanhAgreesWithMonteCarlo() {
        double[][] triples = {{1, 0.6, 2}, {0.5, -0.45, 0.5}, {4, 3.9, 4}};
        Random rnd = new Random(11);
        int samples = 400_000;
        for (double[] t : triples) {
            double s1 = Math.sqrt(t[0]);
            double rho = t[1] / Math.sqrt(t[0] * t[2]);
            double s2 = Math.sqrt(t[2]);
            double[] sum = new double[2];
            double[] sq = new double[2];
            for (int i = 0; i < samples; i++) {
                double z1 = rnd.nextGaussian();
                double z2 = rnd.nextGaussian();
                double u = s1 * z1;
                double v = s2 * (rho * z1 + Math.sqrt(1 - rho * rho) * z2);
                double k = TANH.phi(u) * TANH.phi(v);
                double d = TANH.dphi(u) * TANH.dphi(v);
                sum[0] += k;
                sq[0] += k * k;
                sum[1] += d;
                sq[1] += d * d;
            }
            double[] nngp = new double[1];
            double[] dnngp = new double[1];
            TANH.expectations(new double[] {t[0]}, new double[] {t[1]}, new double[] {t[2]}, 1, nngp, dnngp);
            double[] q = {nngp[0], dnngp[0]};
            for (int j = 0; j < 2; j++) {
                double mean = sum[j] / samples;
                double se = Math.sqrt((sq[j] / samples - mean * mean) / samples);
                assertTrue(Math.abs(q[j] - mean) <= 5 * se, "triple " + java.util.Arrays.toString(t) + " part " + j
                        + ": quadrature " + q[j] + ", Monte Carlo " + mean + " +- " + se);
            }
        }
    }

    /** E[relu(u)] = s / sqrt(2 pi), E[relu(u)^2] = q / 2, E[tanh(u)] = 0, E[f(0)] at q = 0. */
    @Test
    void oneDimensionalHelpers() {
        GaussianExpectation relu = GaussianExpectation.forKinks(new double[] {0});
        for (double q : new double[] {0, 1e-10, 1, 7.5, 1e6}) {
            assertEquals(Math.sqrt(q / (2 * Math.PI)), relu.mean(x -> Math.max(x, 0), q), 1e-12 * (1 + Math.sqrt(q)));
            assertEquals(q / 2, relu.secondMoment(x -> Math.max(x, 0), q), 1e-12 * (1 + q));
        }
        GaussianExpectation smooth = GaussianExpectation.forKinks(new double[0]);
        assertEquals(0, smooth.mean(Math::tanh, 2.0), 1e-15);
        assertEquals(Math.exp(0.5 * 0.49 * 3), smooth.mean(x -> Math.exp(0.7 * x), 3), 1e-12);
        assertEquals(Math.cos(0.0), smooth.mean(Math::cos, 0), 0);
    }
}
