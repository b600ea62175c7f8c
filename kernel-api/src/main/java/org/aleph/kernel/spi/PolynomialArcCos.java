package org.aleph.kernel.spi;

/**
 * arccos without branches, for loops the JIT vectorises: with a = |x|,
 * <pre>
 *   arccos(a) = sqrt(1 - a) P(2a - 1),    arccos(x) = pi (1 - sgn x) / 2 + sgn(x) arccos(a),
 * </pre>
 * where P is the degree-24 polynomial (in monomial form on [-1, 1], coefficients decaying like
 * 5.8^-k, Horner-stable) interpolating the analytic function arccos(a) / sqrt(1 - a) at 40
 * Chebyshev points in 50-digit arithmetic (mpmath), truncated where its Chebyshev coefficients
 * fall below 1e-18; sgn x is computed as x / max(|x|, MIN_NORMAL), which is exactly +-1 for
 * normal x and 0 at x = 0 (where the formula gives pi / 2). Every operation (abs, max, sqrt,
 * division, multiply and add) has a SIMD form in HotSpot's superword pass, so each stage of
 * {@link #acos(double[], double, int, double[], double[])} runs 8 lanes at a time on AVX-512,
 * where fdlibm's branchy arccos, whose branches the data mispredict, runs one (the Relu kernel's
 * times with each: docs/performance.md).
 *
 * <p>Accuracy, measured against mpmath on 200 000 uniform points, 1 - 2^-k, 2^-k and the
 * endpoints: relative error at most 1.3 ulp (2.53 units of 2^-53), where {@link KernelMath#acos}
 * (fdlibm) is below 1 ulp. Near x = 1 the result sqrt(1 - a) P keeps full relative accuracy
 * (1 - a is exact there), which the derivative kernels of rectifiers need at rho -&gt; +-1.
 */
public final class PolynomialArcCos {

    private static final double PI = 3.14159265358979311600e+00;

    /** Coefficients of P in powers of u = 2a - 1 (named constants, so the JIT folds them into the loop). */
    private static final double C0 = 1.480960979386122;
    private static final double C1 = -0.07601609123466499;
    private static final double C2 = 0.011029313317978425;
    private static final double C3 = -0.0021491358590141744;
    private static final double C4 = 0.00048205410058402883;
    private static final double C5 = -0.0001174125041593456;
    private static final double C6 = 3.018716985846447e-05;
    private static final double C7 = -8.063539545722813e-06;
    private static final double C8 = 2.2160208184221692e-06;
    private static final double C9 = -6.225328744855922e-07;
    private static final double C10 = 1.7796883550431794e-07;
    private static final double C11 = -5.160743453777543e-08;
    private static final double C12 = 1.5143205033771546e-08;
    private static final double C13 = -4.487989742394757e-09;
    private static final double C14 = 1.3415095789267359e-09;
    private static final double C15 = -4.040824602758012e-10;
    private static final double C16 = 1.2247921587833888e-10;
    private static final double C17 = -3.715668692118202e-11;
    private static final double C18 = 1.1368914490494062e-11;
    private static final double C19 = -3.6699961183335815e-12;
    private static final double C20 = 1.1428725558518107e-12;
    private static final double C21 = -2.4655256397124317e-13;
    private static final double C22 = 7.329056219962901e-14;
    private static final double C23 = -6.208918023444562e-14;
    private static final double C24 = 1.9999983921818463e-14;

    private PolynomialArcCos() {
    }

    /**
     * out[e] = arccos(sign * x[e]) for e &lt; n, sign = +1 or -1 (so that pi - arccos(x) =
     * arccos(-x) costs nothing extra), within 1.3 ulp. The work is split into stages of a few
     * operations each (two Horner steps), small enough that HotSpot (17) unrolls and
     * vectorises every loop at its default limits (one loop body holding the whole polynomial is not unrolled and runs
     * several times slower), and every stage indexes its arrays by the same e (an offset between two
     * arrays' indices would stop the vectoriser, which cannot rule out aliasing).
     * {@code scratch} (length at least n) receives 2a - 1; out must not be x or scratch.
     */
    public static void acos(double[] x, double sign, int n, double[] out, double[] scratch) {
        double[] u = scratch;
        for (int e = 0; e < n; e++) {
            double uu = 2 * Math.abs(x[e]) - 1;
            u[e] = uu;
            out[e] = C24 * uu + C23;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C22) * uu + C21;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C20) * uu + C19;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C18) * uu + C17;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C16) * uu + C15;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C14) * uu + C13;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C12) * uu + C11;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C10) * uu + C9;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C8) * uu + C7;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C6) * uu + C5;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C4) * uu + C3;
        }
        for (int e = 0; e < n; e++) {
            double uu = u[e];
            out[e] = (out[e] * uu + C2) * uu + C1;
        }
        for (int e = 0; e < n; e++) {
            out[e] = out[e] * u[e] + C0;
        }
        for (int e = 0; e < n; e++) {
            double xe = sign * x[e];
            double a = Math.abs(xe);
            double sgn = xe / Math.max(a, Double.MIN_NORMAL);
            out[e] = PI * (1 - sgn) * 0.5 + sgn * (Math.sqrt(1 - a) * out[e]);
        }
    }

    /** arccos(x) for x in [-1, 1], within 1.3 ulp; written without branches so that loops calling it vectorise. */
    public static double acos(double x) {
        double a = Math.abs(x);
        double u = 2 * a - 1;
        double p = C24;
        p = p * u + C23;
        p = p * u + C22;
        p = p * u + C21;
        p = p * u + C20;
        p = p * u + C19;
        p = p * u + C18;
        p = p * u + C17;
        p = p * u + C16;
        p = p * u + C15;
        p = p * u + C14;
        p = p * u + C13;
        p = p * u + C12;
        p = p * u + C11;
        p = p * u + C10;
        p = p * u + C9;
        p = p * u + C8;
        p = p * u + C7;
        p = p * u + C6;
        p = p * u + C5;
        p = p * u + C4;
        p = p * u + C3;
        p = p * u + C2;
        p = p * u + C1;
        p = p * u + C0;
        double r = Math.sqrt(1 - a) * p;
        double sgn = x / Math.max(a, Double.MIN_NORMAL);
        return PI * (1 - sgn) * 0.5 + sgn * r;
    }
}
