package org.aleph.kernel.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.aleph.kernel.spi.Gaussians;
import org.junit.jupiter.api.Test;

class HermiteSpectrumTest {

    @Test
    void polynomialsHaveExactCoefficients() {
        // x^3 = He_3 + 3 He_1: a_3 = 3!/sqrt(3!) = sqrt(6), a_1 = 3.
        double[] cubic = HermiteSpectrum.coefficients(Activations.of("Monomial", 3), 8);
        double[] expected = {0, 3, 0, Math.sqrt(6), 0, 0, 0, 0, 0};
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], cubic[k], 1e-13, "x^3, degree " + k);
        }
        // x^4 = He_4 + 6 He_2 + 3
        double[] quartic = HermiteSpectrum.coefficients(Activations.of("Monomial", 4), 6);
        double[] e4 = {3, 0, 6 * Math.sqrt(2), 0, Math.sqrt(24), 0, 0};
        for (int k = 0; k < e4.length; k++) {
            assertEquals(e4[k], quartic[k], 1e-12, "x^4, degree " + k);
        }
        // Polynomial(1, -2, 0.5) = 1 - 2x + x^2/2 = 1.5 He_0 - 2 He_1 + 0.5 He_2
        double[] quad = HermiteSpectrum.coefficients(Activations.of("Polynomial", 1, -2, 0.5), 4);
        assertEquals(1.5, quad[0], 1e-14);
        assertEquals(-2, quad[1], 1e-14);
        assertEquals(0.5 * Math.sqrt(2), quad[2], 1e-14);
        assertEquals(0, quad[3], 1e-14);
        // the normalised Hermite activation He_5/sqrt(5!) is the unit vector e_5
        double[] h5 = HermiteSpectrum.coefficients(Activations.of("Hermite", 5), 9);
        for (int k = 0; k <= 9; k++) {
            assertEquals(k == 5 ? 1 : 0, h5[k], 1e-13, "Hermite(5), degree " + k);
        }
    }

    @Test
    void reluCoefficientsMatchTheClosedForm() {
        // a_0 = phi(0), a_1 = 1/2, a_k = phi(0) He_{k-2}(0) / sqrt(k!) for k >= 2, He_{2m}(0) = (-1)^m (2m-1)!!
        double[] a = HermiteSpectrum.coefficients(Activations.of("Relu"), 12);
        double p0 = Gaussians.INV_SQRT_2PI;
        assertEquals(p0, a[0], 1e-15);
        assertEquals(0.5, a[1], 1e-15);
        double heAtZero = 1; // He_0(0)
        double factorial = 2; // 2!
        for (int k = 2; k <= 12; k++) {
            if (k > 2) {
                factorial *= k;
            }
            int m = k - 2;
            double expected = m % 2 == 1 ? 0 : p0 * heAtZero / Math.sqrt(factorial);
            assertEquals(expected, a[k], 1e-15, "degree " + k);
            if (m % 2 == 0) {
                heAtZero *= -(m + 1); // He_{m+2}(0) = -(m+1) He_m(0)
            }
        }
    }

    @Test
    void parsevalGivesTheSecondMoment() {
        // sum a_k^2 = E[erf(z)^2] = (2/pi) arcsin(2/3) (Williams 1997 at q = 1)
        double[] a = HermiteSpectrum.coefficients(Activations.of("Erf"), 120);
        assertEquals(2 / Math.PI * Math.asin(2.0 / 3), HermiteSpectrum.dualFromCoefficients(a, 1), 1e-13);
        // sin(x): only odd degrees, a_{2m+1}^2 = e^-1 / (2m+1)!, sum = E[sin(z)^2] = (1 - e^-2) / 2
        double[] s = HermiteSpectrum.coefficients(Activations.of("Sin"), 40);
        assertEquals(0.5 * (1 - Math.exp(-2)), HermiteSpectrum.dualFromCoefficients(s, 1), 1e-14);
        assertEquals(Math.exp(-0.5), s[1], 1e-15);
        assertEquals(0, s[2], 1e-15);
    }
}
