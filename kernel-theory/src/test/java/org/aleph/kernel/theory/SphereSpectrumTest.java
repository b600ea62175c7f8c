package org.aleph.kernel.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SphereSpectrumTest {

    @Test
    void multiplicitiesAreTheDimensionsOfHarmonicSpaces() {
        for (int k = 0; k < 20; k++) {
            assertEquals(k == 0 ? 1 : 2, SphereSpectrum.multiplicity(2, k), 0.0); // circle: cos, sin
            assertEquals(2 * k + 1, SphereSpectrum.multiplicity(3, k), 1e-12);
            assertEquals((k + 1) * (k + 1), SphereSpectrum.multiplicity(4, k), 1e-10);
        }
        // harmonics of degree <= K on S^{d-1} span the polynomials of degree <= K restricted to it:
        // sum_k N(d, k) = C(K+d-1, d-1) + C(K+d-2, d-1)
        int d = 7;
        int kMax = 9;
        double sum = 0;
        for (int k = 0; k <= kMax; k++) {
            sum += SphereSpectrum.multiplicity(d, k);
        }
        assertEquals(binomial(kMax + d - 1, d - 1) + binomial(kMax + d - 2, d - 1), sum, 1e-9);
    }

    private static double binomial(int n, int k) {
        double b = 1;
        for (int i = 1; i <= k; i++) {
            b = b * (n - k + i) / i;
        }
        return b;
    }

    @Test
    void squareOfTheDotProductHasTwoEigenvalues() {
        // t^2 = 1/d + (1 - 1/d) P_2^{(d)}(t): mu_0 = 1/d, mu_2 = (1 - 1/d) / N(d, 2) = 2 / (d (d + 2))
        for (int d : new int[] {3, 5, 30}) {
            SphereSpectrum s = SphereSpectrum.of(t -> square(t), d, 6);
            double[] mu = s.eigenvalues();
            assertEquals(1.0 / d, mu[0], 1e-14, "d = " + d);
            assertEquals(2.0 / (d * (d + 2.0)), mu[2], 1e-14, "d = " + d);
            for (int k : new int[] {1, 3, 4, 5, 6}) {
                assertEquals(0, mu[k], 1e-14, "d = " + d + ", k = " + k);
            }
            assertEquals(1.0, s.trace(), 1e-13);
        }
    }

    private static double[] square(double[] t) {
        double[] out = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = t[i] * t[i];
        }
        return out;
    }

    @Test
    void reluArcCosineKernelHasNoOddEigenvaluesAboveOne() {
        // Relu = (x + |x|) / 2 with |x| even: its degree-1 arc-cosine kernel on the sphere has
        // mu_k = 0 for odd k >= 3 (Bach 2017, JMLR 18, appendix D.2), as its Hermite series has.
        DualActivation relu = DualActivation.unitVariance(Activations.of("Relu"));
        for (int d : new int[] {3, 8}) {
            double[] mu = SphereSpectrum.of(t -> relu.compose(t, 1).nngp(1), d, 9).eigenvalues();
            for (int k = 3; k <= 9; k += 2) {
                assertEquals(0, mu[k], 1e-13, "d = " + d + ", k = " + k);
            }
            for (int k = 0; k <= 8; k += 2) {
                assertTrue(mu[k] > 1e-9, "d = " + d + ", k = " + k + ": " + mu[k]); // mu_8 is 2e-7 at d = 8
            }
            // the odd part of the normalised dual is exactly a_1^2 t / E[relu^2] = t / 2, and E[t P_1(t)] = 1/d
            assertEquals(0.5 / d, mu[1], 1e-13, "d = " + d);
        }
    }

    @Test
    void nngpEigenvaluesTimesMultiplicitiesSumToTheTrace() {
        // Erf's kernel is analytic in t: the spectrum decays geometrically and the sum converges fast.
        for (int d : new int[] {3, 10}) {
            DualActivation dual = DualActivation.network(Activations.of("Erf"), 2.0, 0.1);
            SphereSpectrum s = SphereSpectrum.of(t -> dual.compose(t, 2).nngp(2), d, 60);
            double kappa1 = dual.compose(new double[] {1}, 2).nngp(2)[0];
            assertEquals(kappa1, s.trace(), 1e-11 * kappa1, "d = " + d);
            for (double mu : s.eigenvalues()) {
                assertTrue(mu > -1e-15, "an NNGP is positive semi-definite: " + mu);
            }
        }
        // Relu's arc-cosine kernel: mu_k N(d,k) decays like k^-4 in d = 3 (Bach 2017; Bietti &
        // Mairal 2019), so the partial sum to degree K misses about K^-3.
        DualActivation relu = DualActivation.network(Activations.of("Relu"), 2.0, 0.0);
        SphereSpectrum s = SphereSpectrum.of(t -> relu.compose(t, 1).nngp(1), 3, 200);
        double kappa1 = relu.compose(new double[] {1}, 1).nngp(1)[0];
        assertEquals(kappa1, s.trace(), 2e-6 * kappa1);
        assertTrue(s.trace() < kappa1, "every omitted term is non-negative");
        // NTK as well
        SphereSpectrum ntk = SphereSpectrum.of(t -> relu.compose(t, 1).ntk(1), 3, 200);
        double theta1 = relu.compose(new double[] {1}, 1).ntk(1)[0];
        assertEquals(theta1, ntk.trace(), 1e-3 * theta1);
    }
}
