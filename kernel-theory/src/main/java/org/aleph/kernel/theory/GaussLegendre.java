package org.aleph.kernel.theory;

import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Composite Gauss-Legendre rules on a cut interval, from Hipparchus' n-point rule on [-1, 1]
 * ({@link GaussIntegratorFactory#legendre(int)}; exact for polynomials of degree 2n - 1).
 * Immutable.
 */
final class GaussLegendre {

    /** The 16-point rule used by the composite rules of this package. */
    static final GaussLegendre SIXTEEN = new GaussLegendre(16);

    private final double[] nodes;
    private final double[] weights;

    GaussLegendre(int n) {
        GaussIntegrator rule = new GaussIntegratorFactory().legendre(n);
        nodes = new double[n];
        weights = new double[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = rule.getPoint(i);
            weights[i] = rule.getWeight(i);
        }
    }

    int size() {
        return nodes.length;
    }

    /**
     * A composite rule on [a, b] cut at the given break points (sorted, inside) into panels no
     * wider than {@code maxWidth}: fills x and w and returns them as {x, w}.
     */
    double[][] composite(double[] breaks, double maxWidth) {
        int panels = 0;
        for (int s = 0; s + 1 < breaks.length; s++) {
            panels += Math.max(1, (int) Math.ceil((breaks[s + 1] - breaks[s]) / maxWidth));
        }
        int n = nodes.length;
        double[] x = new double[panels * n];
        double[] w = new double[panels * n];
        int e = 0;
        for (int s = 0; s + 1 < breaks.length; s++) {
            int count = Math.max(1, (int) Math.ceil((breaks[s + 1] - breaks[s]) / maxWidth));
            double width = (breaks[s + 1] - breaks[s]) / count;
            for (int p = 0; p < count; p++) {
                double a = breaks[s] + p * width;
                double half = 0.5 * width;
                for (int j = 0; j < n; j++) {
                    x[e] = a + half * (1 + nodes[j]);
                    w[e] = half * weights[j];
                    e++;
                }
            }
        }
        return new double[][] {x, w};
    }
}
