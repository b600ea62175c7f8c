package org.aleph.kernel.theory;

/**
 * Gauss-Legendre nodes and weights on [-1, 1], by Newton's method on the three-term
 * recurrence of the Legendre polynomials (Press et al., <i>Numerical Recipes</i>, 3rd ed.,
 * sec. 4.6, routine gauleg; ISBN 978-0-521-88068-8). Exact for polynomials of degree
 * 2n - 1; nodes accurate to a few ulps. Immutable.
 */
final class GaussLegendre {

    /** The 16-point rule used by the composite rules of this package. */
    static final GaussLegendre SIXTEEN = new GaussLegendre(16);

    private final double[] nodes;
    private final double[] weights;

    GaussLegendre(int n) {
        nodes = new double[n];
        weights = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p1 = 1;
                double p2 = 0;
                for (int j = 0; j < n; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
                }
                dp = n * (z * p1 - p2) / (z * z - 1);
                double z1 = z;
                z = z1 - p1 / dp;
                if (Math.abs(z - z1) <= 1e-16) {
                    break;
                }
            }
            nodes[i] = -z;
            nodes[n - 1 - i] = z;
            weights[i] = 2 / ((1 - z * z) * dp * dp);
            weights[n - 1 - i] = weights[i];
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
