package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;

/**
 * The common part of the closed-form activations: the spec name, the provenance (the
 * reference of the formula) and the kinks.
 *
 * <p>Convention shared by every built-in: at a jump of phi or phi' the pointwise value is the
 * mean of the two one-sided limits (Relu'(0) = 1/2, Sign(0) = 0, step(0) = 1/2). With it
 * E[phi(0) phi(v)] equals the limit of E[phi(u) phi(v)] as Var(u) goes to 0, so the closed
 * forms, which are continuous in (q11, q12, q22), are exact also for a zero variance (the
 * variable is then the constant 0).
 */
abstract class ClosedFormActivation implements Activation {

    static final double INV_2PI = 1.0 / (2 * Math.PI);

    private final String name;
    private final Provenance provenance;
    private final double[] kinks;

    ClosedFormActivation(String name, Provenance provenance, double... kinks) {
        this.name = name;
        this.provenance = provenance;
        this.kinks = kinks.clone();
    }

    ClosedFormActivation(String name, String reference, double... kinks) {
        this(name, Provenance.closedForm(reference), kinks);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Provenance provenance() {
        return provenance;
    }

    @Override
    public final double[] kinks() {
        return kinks.clone();
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * q11 q22 - q12^2 with an error of at most about 1.5 ulps of the result (the
     * difference of products (Kahan) with two fused multiply-adds; Jeannerod, Louvet and Muller,
     * "Further analysis of Kahan algorithm for the accurate computation of 2x2
     * determinants", Math. Comp. 82, 2013). Negative only when q12 lies beyond the
     * Cauchy-Schwarz bound by rounding, which callers clamp to rho = +-1.
     */
    static double gapOfProducts(double q11, double q22, double q12) {
        double square = q12 * q12;
        double squareError = Math.fma(q12, q12, -square);
        return Math.fma(q11, q22, -square) - squareError;
    }

    /**
     * c sqrt(q11 q22 - q12^2) / q11 and c sqrt(q11 q22 - q12^2) / q22, the variance derivatives
     * of c' s J_1(rho) with c = c' / 2 (the arc-cosine kernel of degree 1 up to a factor; see
     * {@link ReluProvider}); false (nothing finite to give) when a variance is zero and c is not 0.
     */
    static boolean arcCosineVarianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double c,
                                                double[] dq11, double[] dq22) {
        for (int e = 0; e < n; e++) {
            double x = q11[e];
            double y = q22[e];
            if (c == 0) {
                dq11[e] = 0;
                dq22[e] = 0;
                continue;
            }
            if (!(x > 0 && y > 0 && x < Double.POSITIVE_INFINITY && y < Double.POSITIVE_INFINITY)) {
                return false;
            }
            double root = c * Math.sqrt(Math.max(0, gapOfProducts(x, y, q12[e])));
            if (!Double.isFinite(root)) { // q12 NaN or q11 q22 overflowing
                return false;
            }
            dq11[e] = root / x;
            dq22[e] = root / y;
        }
        return true;
    }

    /**
     * dq11 = dq22 = factor F for an activation with phi'' = 2 factor phi (Exp, Sin, Cos), whose
     * variance derivatives E[phi'' phi] / 2 are a multiple of its own dual; false when F is not finite.
     */
    static boolean scaledExpectations(ClosedFormActivation act, double[] q11, double[] q12, double[] q22, int n, double factor,
                                      double[] dq11, double[] dq22) {
        act.expectations(q11, q12, q22, n, dq11, null);
        for (int e = 0; e < n; e++) {
            double d = factor * dq11[e];
            if (!Double.isFinite(d)) {
                return false;
            }
            dq11[e] = d;
            dq22[e] = d;
        }
        return true;
    }

    /**
     * The variance derivatives of an activation positively homogeneous of degree {@code degree}
     * &gt;= 1 whose phi' is a function (no Dirac mass): F(t q11, sqrt(t) q12, q22) = t^(n/2) F,
     * differentiated at t = 1 with Price's theorem, gives
     * dF/dq11 = (n F - q12 E[phi'(u) phi'(v)]) / (2 q11), and dF/dq22 with q22 (the difference
     * cancels at most by a factor of about 3 for the monomials; Relu, where it cancels near
     * rho = 1, has its own form). False at a zero variance or where a value is not finite.
     */
    static boolean homogeneousVarianceDerivatives(ClosedFormActivation act, int degree, double[] q11, double[] q12, double[] q22, int n,
                                                  double[] dq11, double[] dq22) {
        double[] f = new double[n];
        double[] price = new double[n];
        act.expectations(q11, q12, q22, n, f, price);
        for (int e = 0; e < n; e++) {
            double top = 0.5 * (degree * f[e] - q12[e] * price[e]);
            double x = q11[e];
            double y = q22[e];
            if (!(x > 0 && y > 0)) {
                return false;
            }
            dq11[e] = top / x;
            dq22[e] = top / y;
            if (!Double.isFinite(dq11[e]) || !Double.isFinite(dq22[e])) {
                return false;
            }
        }
        return true;
    }
}
