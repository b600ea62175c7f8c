package org.aleph.kernel.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

/**
 * Identities between activations, checked at QuickTheories covariance triples (all regimes):
 * two different formulas (or code paths) for one function must agree to rounding.
 */
class IdentitiesTest {

    private static final long SEED = 42L;

    private static void same(Activation a, Activation b, double rel, double q11, double q12, double q22, String where) {
        double[] x = Builtins.at(a, q11, q12, q22);
        double[] y = Builtins.at(b, q11, q12, q22);
        double scale = Math.sqrt(q11 * q22) + Math.abs(x[0]);
        assertEquals(y[0], x[0], rel * Math.max(scale, 1e-300), a.name() + " vs " + b.name() + " nngp at " + where);
        assertEquals(y[1], x[1], rel * Math.max(1, Math.abs(x[1])), a.name() + " vs " + b.name() + " dnngp at " + where);
    }

    @Test
    void leakyReluOneIsIdentityAndABReluMinusOneOneIsAbs() {
        Activation leaky1 = Builtins.create("LeakyRelu", 1);
        Activation identity = Builtins.create("Identity");
        Activation abRelu = Builtins.create("ABRelu", -1, 1);
        Activation abs = Builtins.create("Abs");
        Activation abRelu01 = Builtins.create("ABRelu", 0, 1);
        Activation relu = Builtins.create("Relu");
        Activation rm1 = Builtins.create("RectifiedMonomial", 1);
        Activation cos = Builtins.create("Cos");
        Activation sinShift = Builtins.create("Sin", 1, 1, Math.PI / 2);
        RegimeTriples.Coverage coverage = new RegimeTriples.Coverage();
        qt().withFixedSeed(SEED).withExamples(200).forAll(RegimeTriples.triples(1e4)).checkAssert(t -> {
            coverage.record(t);
            same(leaky1, identity, 1e-15, t.q11(), t.q12(), t.q22(), t.toString());
            same(abRelu, abs, 1e-15, t.q11(), t.q12(), t.q22(), t.toString());
            same(abRelu01, relu, 1e-15, t.q11(), t.q12(), t.q22(), t.toString());
            same(rm1, relu, 1e-14, t.q11(), t.q12(), t.q22(), t.toString());
            same(cos, sinShift, 1e-14, t.q11(), t.q12(), t.q22(), t.toString());
        });
        coverage.assertAll("identities", 10);
    }

    @Test
    void polynomialIsASumOfMonomialTerms() {
        // A single coefficient c x^n is Monomial(n) scaled by c^2 (c n for the derivative).
        RegimeTriples.Coverage coverage = new RegimeTriples.Coverage();
        qt().withFixedSeed(SEED).withExamples(150).forAll(RegimeTriples.triples(1e2)).checkAssert(t -> {
            coverage.record(t);
            for (int n = 0; n <= 6; n++) {
                double[] c = new double[n + 1];
                c[n] = 1.5;
                double[] p = Builtins.at(Builtins.create("Polynomial", c), t.q11(), t.q12(), t.q22());
                double[] m = Builtins.at(Builtins.create("Monomial", n), t.q11(), t.q12(), t.q22());
                assertEquals(2.25 * m[0], p[0], 1e-13 * (Math.abs(p[0]) + Math.pow(t.q11() * t.q22(), n / 2.0)), "n=" + n + " " + t);
                assertEquals(2.25 * m[1], p[1], 1e-13 * (Math.abs(p[1]) + Math.pow(t.q11() * t.q22(), (n - 1) / 2.0)), "n=" + n + " " + t);
            }
            // (c0 + c2 x^2): E = c0^2 + c0 c2 (q11 + q22) + c2^2 (q11 q22 + 2 q12^2) (Isserlis),
            // derivative kernel 4 c2^2 q12.
            double c0 = 0.7;
            double c2 = -1.1;
            double[] p = Builtins.at(Builtins.create("Polynomial", c0, 0, c2), t.q11(), t.q12(), t.q22());
            double q12 = Math.max(-1, Math.min(1, t.q12() / Math.sqrt(t.q11() * t.q22()))) * Math.sqrt(t.q11() * t.q22());
            if (t.q11() * t.q22() == 0) {
                q12 = 0;
            }
            double expected = c0 * c0 + c0 * c2 * (t.q11() + t.q22()) + c2 * c2 * (t.q11() * t.q22() + 2 * q12 * q12);
            double scale = c0 * c0 + Math.abs(c0 * c2) * (t.q11() + t.q22()) + c2 * c2 * 3 * t.q11() * t.q22();
            assertEquals(expected, p[0], 1e-14 * scale, t.toString());
            assertEquals(4 * c2 * c2 * q12, p[1], 1e-14 * (1 + 4 * c2 * c2 * Math.sqrt(t.q11() * t.q22())), t.toString());
        });
        coverage.assertAll("polynomial", 5);
    }

    /** Coefficients of He_n(x) / sqrt(n!) in powers of x. */
    static double[] hermiteCoefficients(int n) {
        double[] prev = new double[n + 1];
        double[] cur = new double[n + 1];
        cur[0] = 1;
        for (int k = 0; k < n; k++) {
            double[] next = new double[n + 1];
            for (int i = 0; i < n; i++) {
                next[i + 1] += cur[i];
            }
            for (int i = 0; i <= n; i++) {
                next[i] -= k * prev[i];
            }
            prev = cur;
            cur = next;
        }
        double fact = 1;
        for (int k = 2; k <= n; k++) {
            fact *= k;
        }
        for (int i = 0; i <= n; i++) {
            cur[i] /= Math.sqrt(fact);
        }
        return cur;
    }

    @Test
    void hermiteIsOrthonormalAtUnitVarianceAndAgreesWithPolynomial() {
        qt().withFixedSeed(SEED).withExamples(100).forAll(RegimeTriples.triples(1e2)).checkAssert(t -> {
            double rho = Math.max(-1, Math.min(1, t.q12() / Math.sqrt(t.q11() * t.q22())));
            if (t.q11() * t.q22() == 0) {
                rho = 0;
            }
            for (int n = 0; n <= 8; n++) {
                // Unit variances: E[h_n(u) h_n(v)] = rho^n, E[h_n' h_n'] = n rho^(n-1).
                double[] h = Builtins.at(Builtins.create("Hermite", n), 1, rho, 1);
                assertEquals(Math.pow(rho, n), h[0], 1e-15, "n=" + n);
                assertEquals(n == 0 ? 0 : n * Math.pow(rho, n - 1), h[1], 1e-14 * Math.max(1, n), "n=" + n);
                // Cross terms vanish: phi = h_n + h_m (m != n) has E = rho^n + rho^m.
                int m = (n + 3) % 9;
                double[] cn = hermiteCoefficients(n);
                double[] cm = hermiteCoefficients(m);
                double[] sum = new double[Math.max(cn.length, cm.length)];
                for (int i = 0; i < cn.length; i++) {
                    sum[i] += cn[i];
                }
                for (int i = 0; i < cm.length; i++) {
                    sum[i] += cm[i];
                }
                double[] p = Builtins.at(Builtins.create("Polynomial", sum), 1, rho, 1);
                assertEquals(Math.pow(rho, n) + Math.pow(rho, m), p[0], 1e-13, "n=" + n + ", m=" + m);
                // General variances: Hermite(n) and Polynomial(coefficients of h_n) are two
                // independent implementations of the same kernel.
                double[] hg = Builtins.at(Builtins.create("Hermite", n), t.q11(), t.q12(), t.q22());
                double[] pg = Builtins.at(Builtins.create("Polynomial", cn), t.q11(), t.q12(), t.q22());
                double scale = Math.pow(1 + t.q11(), n / 2.0) * Math.pow(1 + t.q22(), n / 2.0) * Math.pow(3, n);
                assertEquals(pg[0], hg[0], 1e-14 * scale, "n=" + n + " " + t);
                assertEquals(pg[1], hg[1], 1e-14 * scale, "n=" + n + " " + t);
            }
        });
    }

    @Test
    void rectifiedMonomialForwardAndBackwardRecurrencesAgree() {
        // For rho < 0 the forward recurrence is used only while n log((1+|rho|)/(1-|rho|)) <= 3;
        // just past the switch both must agree with the reference values of the integral form
        // J_n = n! int_0^t (cos psi - |rho|)^n dpsi, computed here by composite Simpson.
        for (int n : new int[] {3, 6, 15, 40}) {
            for (double rho : new double[] {-0.05, -0.3, -0.5, -0.9, -0.999, -0.9999999}) {
                double t = Math.acos(-rho);
                int steps = 20000;
                double h = t / steps;
                double sum = 0;
                for (int i = 0; i <= steps; i++) {
                    double w = i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2);
                    double psi = i * h;
                    // cos psi - cos t = 2 sin((t + psi)/2) sin((t - psi)/2), no cancellation
                    sum += w * Math.pow(2 * Math.sin((t + psi) / 2) * Math.sin((t - psi) / 2), n);
                }
                double integral = sum * h / 3;
                double fact = 1;
                for (int k = 2; k <= n; k++) {
                    fact *= k;
                }
                double expected = fact * integral / (2 * Math.PI);
                double got = Builtins.at(Builtins.create("RectifiedMonomial", n), 1, rho, 1)[0];
                assertEquals(expected, got, 1e-9 * expected, "n=" + n + ", rho=" + rho);
            }
        }
    }
}
