package org.aleph.kernel.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

/** Closed forms at points where the answer is known exactly; each expected value derived in a comment. */
class PinnedValuesTest {

    private static void near(double expected, double actual, double rel) {
        assertEquals(expected, actual, rel * Math.max(Math.abs(expected), Double.MIN_NORMAL));
    }

    @Test
    void reluAtRhoZeroOneAndMinusOne() {
        Activation relu = Builtins.create("Relu");
        // rho = 0: theta = pi/2, J_1 = sin(pi/2) = 1, so E = sqrt(q11 q22) / (2 pi); E[step step] = 1/4.
        double[] k = Builtins.at(relu, 2, 0, 3);
        near(Math.sqrt(6) / (2 * Math.PI), k[0], 1e-15);
        near(0.25, k[1], 1e-15);
        // rho = 1 (u = v): E[relu(u)^2] = q / 2, P(u > 0) = 1/2.
        k = Builtins.at(relu, 2, 2, 2);
        near(1.0, k[0], 1e-15);
        near(0.5, k[1], 1e-15);
        // rho = -1 (v = -u): relu(u) relu(-u) = 0 and step(u) step(-u) = 0 almost surely.
        k = Builtins.at(relu, 2, -2, 2);
        assertEquals(0.0, k[0]);
        assertEquals(0.0, k[1]);
    }

    @Test
    void reluNearRhoMinusOneHasNoCancellation() {
        // rho = -1 + d with d = 2^-40 exactly. t = pi - theta = arccos(1 - d); J_1 = sin t - t cos t
        // = t^3/3 - t^5/30 + t^7/840 - ..., so E = J_1 / (2 pi) at unit variances (~1e-19).
        // The textbook form sin(theta) + (pi - theta) cos(theta) loses ~7 digits here.
        double d = Math.scalb(1.0, -40);
        double rho = -1 + d;
        double t = Math.acos(1 - d);
        double j1 = t * t * t / 3 * (1 - t * t / 10 + t * t * t * t / 280);
        double[] k = Builtins.at(Builtins.create("Relu"), 1, rho, 1);
        near(j1 / (2 * Math.PI), k[0], 1e-13);
        near(t / (2 * Math.PI), k[1], 1e-15);
        // RectifiedMonomial(1) is Relu by the same recurrence.
        near(j1 / (2 * Math.PI), Builtins.at(Builtins.create("RectifiedMonomial", 1), 1, rho, 1)[0], 1e-13);
        // RectifiedMonomial(2) there: J_2 = t^5 (4/15 + O(t^2)) -> leading term 2! * t^5 * 2/15.
        double[] r2 = Builtins.at(Builtins.create("RectifiedMonomial", 2), 1, rho, 1);
        near(4 * Math.pow(t, 5) / 15 / (2 * Math.PI), r2[0], 1e-11);
    }

    @Test
    void signIsTwoOverPiArcsinRho() {
        Activation sign = Builtins.create("Sign");
        // Sheppard: E[sign u sign v] = (2/pi) arcsin(rho); rho = 1/2 gives (2/pi)(pi/6) = 1/3.
        double[] k = Builtins.at(sign, 4, 1, 1);
        near(1.0 / 3, k[0], 1e-15);
        assertEquals(0.0, k[1]);
        near(1.0, Builtins.at(sign, 3, 3, 3)[0], 1e-15);
        near(-1.0, Builtins.at(sign, 3, -3, 3)[0], 1e-15);
        assertEquals(0.0, Builtins.at(sign, 0, 0, 3)[0]);
    }

    @Test
    void erfWilliams() {
        // q11 = q22 = q12 = 1: arcsin(2 / sqrt(3 * 3)) = arcsin(2/3); D = 1 + 2*2 + 4*0 = 5,
        // so E[phi' phi'] = (4/pi) / sqrt(5).
        double[] k = Builtins.at(Builtins.create("Erf"), 1, 1, 1);
        near(2 / Math.PI * Math.asin(2.0 / 3), k[0], 1e-15);
        near(4 / Math.PI / Math.sqrt(5), k[1], 1e-15);
        // c shifts by c^2 (E[erf] = 0): Erf(1, 1, 0.5) at q12 = 0 gives exactly 0.25.
        near(0.25, Builtins.at(Builtins.create("Erf", 1, 1, 0.5), 1, 0, 2)[0], 1e-15);
    }

    @Test
    void geluAtZeroCovariance() {
        // u, v independent: E[u Phi(u)] = q E[phi(u)] = q / sqrt(2 pi (1 + q)), so
        // E = q11 q22 / (2 pi sqrt((1 + q11)(1 + q22))); E[phi'(u)] = 1/2 + E[u phi(u)] = 1/2.
        double[] k = Builtins.at(Builtins.create("Gelu"), 2, 0, 3);
        near(6 / (2 * Math.PI * Math.sqrt(12)), k[0], 1e-15);
        near(0.25, k[1], 1e-15);
        // Zero variance: phi(0) = 0, phi'(0) = Phi(0) = 1/2, E[phi'(v)] = 1/2.
        k = Builtins.at(Builtins.create("Gelu"), 0, 0, 5);
        assertEquals(0.0, k[0]);
        near(0.25, k[1], 1e-15);
    }

    @Test
    void geluAtRhoMinusOneWithLargeVariances() {
        // v = -u, q = 1e6 (so D = 1 + 2q exactly): the closed form evaluated in 40-digit
        // arithmetic (mpmath) gives E[phi phi] = -1.875656572396539e-4, E[phi' phi'] = -5.626953999186095e-5.
        // The two terms of the textbook form are each ~160 and cancel to ~2e-4.
        double[] k = Builtins.at(Builtins.create("Gelu"), 1e6, -1e6, 1e6);
        near(-1.875656572396539093e-4, k[0], 1e-14);
        near(-5.626953999186094627e-5, k[1], 1e-14);
        k = Builtins.at(Builtins.create("Gelu"), 1e4, -1e4, 1e4);
        near(-1.875417058659103025e-3, k[0], 1e-14);
        near(-5.624679562024971223e-4, k[1], 1e-14);
    }

    @Test
    void sinusoids() {
        // E[cos u cos v] at q12 = 0: E[cos u] E[cos v] = exp(-q11/2) exp(-q22/2).
        near(Math.exp(-2.5), Builtins.at(Builtins.create("Cos"), 2, 0, 3)[0], 1e-15);
        // E[sin(u)^2] = (1 - exp(-2q)) / 2: at q = 1e4 exactly 1/2; E[cos(u)^2] = 1/2 too.
        double[] k = Builtins.at(Builtins.create("Sin"), 1e4, 1e4, 1e4);
        near(0.5, k[0], 1e-15);
        near(0.5, k[1], 1e-15);
        // and for v = -u: E[sin(u) sin(-u)] = -1/2.
        near(-0.5, Builtins.at(Builtins.create("Sin"), 1e4, -1e4, 1e4)[0], 1e-15);
        // Sin(a, b, c) with q = 0 on both sides: phi(0)^2 = a^2 sin(c)^2.
        near(4 * Math.pow(Math.sin(0.7), 2), Builtins.at(Builtins.create("Sin", 2, 3, 0.7), 0, 0, 0)[0], 1e-15);
    }

    @Test
    void expGaussianGabor() {
        // E[e^u e^v] = exp(Var(u + v)/2) = exp((1 + 1 + 2*0.5)/2) = exp(1.5).
        near(Math.exp(1.5), Builtins.at(Builtins.create("Exp"), 1, 0.5, 1)[0], 1e-15);
        // Gaussian(1, -1): det(I + 2 Sigma) = 3 * 3 at unit variances, q12 = 0: 1/3; phi' kernel 0.
        double[] k = Builtins.at(Builtins.create("Gaussian"), 1, 0, 1);
        near(1.0 / 3, k[0], 1e-15);
        assertEquals(0.0, k[1]);
        // Gabor at zero variance: phi(0) = 0, phi'(0) = 1 and E[phi'(v)] = E[e^{-v^2} (cos v - 2 v sin v)]
        // = (1 + 2q)^(-1/2) E'[cos w - 2 w sin w], w ~ N(0, q' = q / (1 + 2q)), = (1 + 2q)^(-1/2) e^{-q'/2} (1 - 2q');
        // at q = 1, q' = 1/3: exp(-1/6) / (3 sqrt 3).
        k = Builtins.at(Builtins.create("Gabor"), 0, 0, 1);
        assertEquals(0.0, k[0]);
        near(Math.exp(-1.0 / 6) / (3 * Math.sqrt(3)), k[1], 1e-15);
    }

    @Test
    void gaussianWithPositiveExponentDivergesLoudly() {
        Activation g = Builtins.create("Gaussian", 1, 1);
        // E[exp(u^2) exp(v^2)] needs every eigenvalue of Sigma below 1/(2b) = 1/2.
        double[] k = Builtins.at(g, 1, 0.3, 1);
        assertEquals(Double.POSITIVE_INFINITY, k[0]);
        assertTrue(Double.isNaN(k[1]), "E[phi' phi'] is undefined (both parts infinite)");
        k = Builtins.at(g, 1, 1, 1);
        assertEquals(Double.POSITIVE_INFINITY, k[1]);
        // Finite side: q = 0.2 on the diagonal: 1 - 4 * 0.2 = 0.2, so E[phi(u)^2] = 1/sqrt(0.2).
        near(1 / Math.sqrt(0.2), Builtins.at(g, 0.2, 0.2, 0.2)[0], 1e-14);
        // A zero variance side: phi'(0) = 0 whatever happens on the other side.
        assertEquals(0.0, Builtins.at(g, 0, 0, 5)[1]);
    }

    @Test
    void monomialsAndRectifiedMonomials() {
        // Isserlis: E[u^2 v^2] = q11 q22 + 2 q12^2; E[u^3 v^3] = 9 q11 q22 q12 + 6 q12^3.
        near(2 * 3 + 2 * 0.25, Builtins.at(Builtins.create("Monomial", 2), 2, 0.5, 3)[0], 1e-15);
        near(9 * 6 * 0.5 + 6 * 0.125, Builtins.at(Builtins.create("Monomial", 3), 2, 0.5, 3)[0], 1e-15);
        // E[u^40] at q = 1 is 39!! = 3.1983e23 (rho = 1).
        double dfact = 1;
        for (int j = 1; j < 40; j += 2) {
            dfact *= j;
        }
        near(dfact, Builtins.at(Builtins.create("Monomial", 20), 1, 1, 1)[0], 1e-14);
        // Monomial(0) = 1: kernel 1, derivative kernel 0.
        double[] m0 = Builtins.at(Builtins.create("Monomial", 0), 0, 0, 7);
        assertEquals(1.0, m0[0]);
        assertEquals(0.0, m0[1]);
        // Step function: P(u > 0, v > 0) = (pi - theta) / (2 pi); at rho = 0, 1/4 (also for zero variance).
        near(0.25, Builtins.at(Builtins.create("RectifiedMonomial", 0), 2, 0, 3)[0], 1e-15);
        near(0.25, Builtins.at(Builtins.create("RectifiedMonomial", 0), 0, 0, 3)[0], 1e-15);
        // max(0,u)^2 at rho = 1: E[u^4; u > 0] = 3 q^2 / 2; derivative kernel 4 E[u^2; u > 0] = 2 q.
        double[] r2 = Builtins.at(Builtins.create("RectifiedMonomial", 2), 2, 2, 2);
        near(6, r2[0], 1e-15);
        near(4, r2[1], 1e-15);
        // max(0,u)^n at rho = 1, q = 1 is (2n-1)!! / 2; n = 30: 59!! / 2.
        double d59 = 1;
        for (int j = 1; j < 60; j += 2) {
            d59 *= j;
        }
        near(d59 / 2, Builtins.at(Builtins.create("RectifiedMonomial", 30), 1, 1, 1)[0], 1e-13);
    }

    @Test
    void overflowIsReportedAsInfinityNotAsANumber() {
        // E[e^u e^v] at q11 = q22 = q12 = 1e3 is exp(2000): beyond the double range.
        double[] k = Builtins.at(Builtins.create("Exp"), 1e3, 1e3, 1e3);
        assertEquals(Double.POSITIVE_INFINITY, k[0]);
        assertEquals(Double.POSITIVE_INFINITY, k[1]);
        // ... while v = -u keeps it finite: Var(u + v) = 0, so E = 1 and E[phi' phi'] = b^2 = 1.
        k = Builtins.at(Builtins.create("Exp"), 1e3, -1e3, 1e3);
        near(1.0, k[0], 1e-15);
        near(1.0, k[1], 1e-15);
    }

    @Test
    void hermiteOfHighDegreeAtUnitVariance() {
        // Orthonormality holds for any n: E[h_n h_n] = rho^n, E[h_n' h_n'] = n rho^(n-1).
        double[] k = Builtins.at(Builtins.create("Hermite", 100), 1, 0.9, 1);
        near(Math.pow(0.9, 100), k[0], 1e-13);
        near(100 * Math.pow(0.9, 99), k[1], 1e-13);
        k = Builtins.at(Builtins.create("Hermite", 499), 1, -0.99, 1);
        near(-Math.pow(0.99, 499), k[0], 1e-13);
    }

    @Test
    void hermiteAtGeneralVariance() {
        // h_2 = (x^2 - 1)/sqrt 2: E[h_2(u) h_2(v)] = ((q11 - 1)(q22 - 1) + 2 q12^2) / 2 = 2w + q12^2.
        near(((2 - 1) * (3 - 1) + 2 * 0.25) / 2, Builtins.at(Builtins.create("Hermite", 2), 2, 0.5, 3)[0], 1e-15);
        // zero variance: h_2(0) = -1/sqrt2, E[h_2(v)] = (q22 - 1)/sqrt 2: product -(q22-1)/2.
        near(-(3 - 1) / 2.0, Builtins.at(Builtins.create("Hermite", 2), 0, 0, 3)[0], 1e-15);
    }
}
