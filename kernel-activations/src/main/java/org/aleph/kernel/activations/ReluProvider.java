package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.PolynomialArcCos;
import org.aleph.kernel.spi.support.ArcCosine;

/**
 * {@code Relu}: phi(x) = max(0, x), phi'(x) = step(x) (1/2 at 0). With s = sqrt(q11 q22),
 * rho = q12 / s and theta = arccos(rho), the arc-cosine kernels of degree 1 and 0
 * (Cho &amp; Saul 2009, eq. 6):
 * <pre>
 *   E[phi(u)phi(v)]   = s (sin theta + (pi - theta) cos theta) / (2 pi)
 *   E[phi'(u)phi'(v)] = (pi - theta) / (2 pi)
 * </pre>
 * sin theta + (pi - theta) cos theta vanishes like (pi - theta)^3 / 3 as rho -&gt; -1; it is
 * evaluated without cancellation by {@link ArcCosine#j1}.
 */
public final class ReluProvider extends BuiltinProvider {

    public ReluProvider() {
        super("Relu", "max(0, x)");
    }

    @Override
    public Activation create(Arguments arguments) {
        return Relu.INSTANCE;
    }

    static final class Relu extends ClosedFormActivation {
        /** -cos(1/2), rounded up so that every entry with pi - theta &lt; 1/2 is redone: there j1 needs its series. */
        private static final double CANCELLING_RHO = -0.87758256189037;
        /** Per-thread work arrays: the activation is shared by every worker thread. */
        private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
        static final Relu INSTANCE = new Relu();

        private Relu() {
            super("Relu", "arc-cosine kernel, Cho & Saul 2009", 0.0);
        }

        @Override
        public double phi(double x) {
            return x > 0 ? x : 0.0;
        }

        @Override
        public double dphi(double x) {
            return x > 0 ? 1.0 : (x < 0 ? 0.0 : 0.5);
        }

        /**
         * Branch-free stages the JIT vectorises (rho clamped with min/max; pi - theta =
         * arccos(-rho) by {@link PolynomialArcCos}), then a scalar pass that redoes with
         * {@link ArcCosine#j1}'s series the few entries with rho &lt; -cos(1/2), where
         * sin theta + (pi - theta) rho cancels (its cost against one scalar loop: docs/performance.md,
         * "Timings that used to be in javadoc").
         */
        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            Scratch sc = SCRATCH.get().ensure(n);
            double[] rho = sc.rho;
            double[] t = dnngp != null ? dnngp : sc.t;
            for (int e = 0; e < n; e++) {
                double s = Math.sqrt(q11[e] * q22[e]);
                rho[e] = Math.min(1.0, Math.max(-1.0, q12[e] / Math.max(s, Double.MIN_NORMAL)));
            }
            PolynomialArcCos.acos(rho, -1.0, n, t, sc.u);
            for (int e = 0; e < n; e++) {
                double r = rho[e];
                double te = t[e];
                double s = Math.sqrt(q11[e] * q22[e]);
                double c = Math.sqrt((1 - r) * (1 + r));
                nngp[e] = s * (c + te * r) * INV_2PI;
                t[e] = te * INV_2PI; // t is dnngp when the caller wants it
            }
            for (int e = 0; e < n; e++) {
                if (rho[e] < CANCELLING_RHO) { // pi - theta < 1/2: redo with the series (t recomputed bit for bit)
                    double s = Math.sqrt(q11[e] * q22[e]);
                    double te = PolynomialArcCos.acos(-rho[e]);
                    nngp[e] = s * ArcCosine.j1(rho[e], ArcCosine.sine(rho[e]), te) * INV_2PI;
                }
            }
        }

        /**
         * dF/dq11 = sqrt(q11 q22 - q12^2) / (4 pi q11) (and dF/dq22 with q22 below): with
         * F = s J_1(rho) / (2 pi), ds/dq11 = s / (2 q11), drho/dq11 = -rho / (2 q11) and
         * J_1'(rho) = pi - theta, dF/dq11 = s (J_1 - rho (pi - theta)) / (4 pi q11) = s sin theta / (4 pi q11);
         * s sin theta = sqrt(q11 q22 - q12^2) is the difference of products (no cancellation near
         * rho = +-1, where the derivative vanishes). It grows like q11^(-1/2) as q11 -&gt; 0: a
         * zero variance returns false.
         */
        @Override
        public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
            return arcCosineVarianceDerivatives(q11, q12, q22, n, 0.5 * INV_2PI, dq11, dq22);
        }
    }

    /** Work arrays of one thread, grown to the largest block seen. */
    private static final class Scratch {
        double[] rho = new double[0];
        double[] t = new double[0];
        double[] u = new double[0];

        Scratch ensure(int n) {
            if (rho.length < n) {
                rho = new double[n];
                t = new double[n];
                u = new double[n];
            }
            return this;
        }
    }
}
