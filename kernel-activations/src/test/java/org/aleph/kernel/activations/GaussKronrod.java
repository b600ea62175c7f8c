package org.aleph.kernel.activations;

import java.util.function.DoubleUnaryOperator;

/**
 * Test-scope adaptive Gauss-Kronrod (G7-K15) quadrature on a finite interval, the independent
 * numerical reference for the closed forms (it shares no code or formula with them). An
 * interval is accepted when the Kronrod and Gauss estimates agree to within
 * max(relTol |K|, absTol * width / totalWidth); otherwise it is halved (at most
 * {@value #MAX_DEPTH} times).
 */
final class GaussKronrod {

    static final int MAX_DEPTH = 40;

    /** At most this many intervals per integral (a safety net; never reached by the tests' integrands). */
    static final int MAX_INTERVALS = 20000;

    /** Differences below this fraction of the integral of |f| are rounding noise. */
    static final double ROUNDOFF = 1e-14;

    private static final double[] XGK = {
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
        0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
        0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.000000000000000000000000000000000};
    private static final double[] WGK = {
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
        0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
        0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
    private static final double[] WG = {
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

    private GaussKronrod() {
    }

    /** The integral of f over [a, b] split at the given sorted points (those inside are used). */
    static double integrate(DoubleUnaryOperator f, double a, double b, double[] splits, double relTol, double absTol) {
        return integrate(f, a, b, splits, relTol, absTol, ROUNDOFF);
    }

    /**
     * As above, for an integrand that is itself only accurate to {@code noise} relative to its
     * magnitude (an inner integral): differences below noise x integral of |f| are accepted.
     */
    static double integrate(DoubleUnaryOperator f, double a, double b, double[] splits, double relTol, double absTol,
                            double noise) {
        int[] budget = {MAX_INTERVALS};
        double total = 0;
        double left = a;
        double width = b - a;
        for (double p : splits) {
            if (p > left && p < b) {
                total += adapt(f, left, p, relTol, absTol * (p - left) / width, noise, 0, budget);
                left = p;
            }
        }
        return total + adapt(f, left, b, relTol, absTol * (b - left) / width, noise, 0, budget);
    }

    private static double adapt(DoubleUnaryOperator f, double a, double b, double relTol, double absTol, double noise,
                                int depth, int[] budget) {
        budget[0]--;
        double c = 0.5 * (a + b);
        double h = 0.5 * (b - a);
        double fc = f.applyAsDouble(c);
        double[] lo = new double[7];
        double[] hi = new double[7];
        double k = WGK[7] * fc;
        double g = WG[3] * fc;
        double abs = WGK[7] * Math.abs(fc);
        for (int j = 0; j < 7; j++) {
            double dx = h * XGK[j];
            lo[j] = f.applyAsDouble(c - dx);
            hi[j] = f.applyAsDouble(c + dx);
            double s = lo[j] + hi[j];
            k += WGK[j] * s;
            abs += WGK[j] * (Math.abs(lo[j]) + Math.abs(hi[j]));
            if ((j & 1) == 1) {
                g += WG[j / 2] * s;
            }
        }
        double mean = 0.5 * k;
        double asc = WGK[7] * Math.abs(fc - mean);
        for (int j = 0; j < 7; j++) {
            asc += WGK[j] * (Math.abs(lo[j] - mean) + Math.abs(hi[j] - mean));
        }
        k *= h;
        g *= h;
        abs *= h;
        asc *= h;
        double err = Math.abs(k - g);
        if (asc != 0 && err != 0) {
            // QUADPACK's (QK15) pessimistic scaling: a poorly resolved interval reports an error near resasc.
            err = asc * Math.min(1, Math.pow(200 * err / asc, 1.5));
        }
        // Accept also when the difference is at the rounding level of the integrand (QUADPACK's
        // resabs guard): otherwise noise in a cancelling integrand would halve forever.
        if (depth >= MAX_DEPTH || budget[0] <= 0 || err <= Math.max(Math.max(relTol * Math.abs(k), absTol), noise * abs)
                || !(err == err)) {
            return k;
        }
        return adapt(f, a, c, relTol, 0.5 * absTol, noise, depth + 1, budget)
                + adapt(f, c, b, relTol, 0.5 * absTol, noise, depth + 1, budget);
    }
}
