package org.aleph.kernel;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * The points x where g(x) = k crosses, for a composition phi2(g(x)) whose outer function has a
 * kink at k: bisection (to adjacent doubles) between sign changes of g(x) - k on a fixed grid,
 * step 0.01 over [-20, 20] and geometric (ratio 1.005) beyond, out to +-1e4. A crossing between
 * two grid points closer than the step, or a touch without a crossing (where phi2(g) stays on one
 * side of the kink, so no kink arises), is not found; the quadrature's panel refinement covers
 * what is missed.
 */
final class KinkPreimages {

    private static final double[] GRID = grid();

    private KinkPreimages() {
    }

    private static double[] grid() {
        int inner = 4000;
        double[] right = new double[0];
        int m = 0;
        double[] far = new double[2000];
        for (double x = 20 * 1.005; x <= 1e4; x *= 1.005) {
            far[m++] = x;
        }
        right = Arrays.copyOf(far, m);
        double[] g = new double[inner + 1 + 2 * m];
        int n = 0;
        for (int i = m - 1; i >= 0; i--) {
            g[n++] = -right[i];
        }
        for (int i = 0; i <= inner; i++) {
            g[n++] = -20 + 40.0 * i / inner;
        }
        for (int i = 0; i < m; i++) {
            g[n++] = right[i];
        }
        return g;
    }

    /**
     * The crossings of g(x) = k, sorted: roots between sign changes, and grid points where g
     * equals k that end a stretch on which g is k (relu(x) = 0 up to x = 0).
     */
    static double[] of(DoubleUnaryOperator g, double k) {
        int len = GRID.length;
        double[] f = new double[len];
        for (int i = 0; i < len; i++) {
            f[i] = g.applyAsDouble(GRID[i]) - k;
        }
        double[] roots = new double[16];
        int n = 0;
        for (int i = 0; i < len; i++) {
            double root = Double.NaN;
            if (f[i] == 0) {
                boolean leftZero = i == 0 || f[i - 1] == 0;
                boolean rightZero = i == len - 1 || f[i + 1] == 0;
                if (!(leftZero && rightZero)) {
                    root = GRID[i];
                }
            } else if (i + 1 < len && f[i + 1] != 0 && Double.isFinite(f[i]) && Double.isFinite(f[i + 1])
                    && (f[i] < 0) != (f[i + 1] < 0)) {
                root = bisect(g, k, GRID[i], GRID[i + 1], f[i]);
            }
            if (!Double.isNaN(root) && (n == 0 || roots[n - 1] != root)) {
                if (n == roots.length) {
                    roots = Arrays.copyOf(roots, 2 * n);
                }
                roots[n++] = root;
            }
        }
        return Arrays.copyOf(roots, n);
    }

    private static double bisect(DoubleUnaryOperator g, double k, double a, double b, double fa) {
        for (int it = 0; it < 200; it++) {
            double m = 0.5 * (a + b);
            if (m <= a || m >= b) {
                break;
            }
            double fm = g.applyAsDouble(m) - k;
            if (fm == 0) {
                return m;
            }
            if ((fm < 0) == (fa < 0)) {
                a = m;
                fa = fm;
            } else {
                b = m;
            }
        }
        return Math.abs(fa) <= Math.abs(g.applyAsDouble(b) - k) ? a : b;
    }
}
