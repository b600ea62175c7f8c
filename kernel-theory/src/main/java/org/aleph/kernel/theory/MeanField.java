package org.aleph.kernel.theory;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Activation;

/**
 * Mean-field signal propagation (Poole et al. 2016; Schoenholz et al. 2017) for any
 * {@link Activation}: the fixed points q* and c*, chi_1 and the depth scales at one
 * (sigma_w^2, sigma_b^2) or at a whole block of them. See {@link SignalPropagation} for the
 * quantities and {@link MeanFieldMaps} for the maps.
 *
 * <p>Cost: a block of n points is solved in lockstep, so each step is one call of
 * {@link Activation#expectations} with n (or 4n, or 14n) covariance triples; a typical point
 * needs 10-30 diagonal and, in the chaotic phase, about 25 off-diagonal expectations. With
 * closed forms a 41 x 41 phase diagram takes a fraction of a second; with quadrature
 * (about a millisecond per off-diagonal triple) about 25 s of CPU, nearly all of it in c*.
 *
 * <pre>{@code
 * MeanField mf = new MeanField(ActivationRegistry.defaultRegistry().create("Erf"));
 * SignalPropagation p = mf.at(1.5, 0.05);   // p.qStar(), p.chi1(), p.xiC() ...
 * }</pre>
 */
public final class MeanField {

    /** Where q* = 0, the maps are evaluated at this variance (their limit as q -&gt; 0). */
    static final double Q_FLOOR = 1e-100;

    /**
     * Where the length diverges, the maps are evaluated at this variance (or at the last finite
     * iterate if smaller): large enough for the asymptotic regime, small enough that closed
     * forms such as 1 + 2 b^2 q keep their precision.
     */
    static final double Q_DIVERGED = 1e12;

    private final MeanFieldMaps maps;

    /** @param activation the nonlinearity, never null */
    public MeanField(Activation activation) {
        this.maps = new MeanFieldMaps(Objects.requireNonNull(activation, "activation"));
    }

    /** The activation analysed. */
    public Activation activation() {
        return maps.activation();
    }

    /** Signal propagation at one point of the (sigma_w^2, sigma_b^2) plane. */
    public SignalPropagation at(double sw2, double sb2) {
        return at(new double[] {sw2}, new double[] {sb2})[0];
    }

    /**
     * Signal propagation at each (sw2[i], sb2[i]), solved as one block.
     *
     * @throws UserErrorException when a variance is negative or not finite
     */
    public SignalPropagation[] at(double[] sw2, double[] sb2) {
        if (sw2.length != sb2.length) {
            throw new IllegalArgumentException("sw2 has " + sw2.length + " entries but sb2 has " + sb2.length);
        }
        for (int i = 0; i < sw2.length; i++) {
            check("sigma_w^2", sw2[i]);
            check("sigma_b^2", sb2[i]);
        }
        return solve(sw2.clone(), sb2.clone());
    }

    /** Like {@link #at(double[], double[])}, with the block cut into one chunk per thread. */
    public SignalPropagation[] at(double[] sw2, double[] sb2, int threads) {
        if (threads <= 1 || sw2.length < 2) {
            return at(sw2, sb2);
        }
        int n = sw2.length;
        int chunks = Math.min(threads, n);
        SignalPropagation[] out = new SignalPropagation[n];
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread[] pool = new Thread[chunks];
        for (int t = 0; t < chunks; t++) {
            int from = (int) ((long) n * t / chunks);
            int to = (int) ((long) n * (t + 1) / chunks);
            pool[t] = new Thread(() -> {
                try {
                    double[] w = java.util.Arrays.copyOfRange(sw2, from, to);
                    double[] b = java.util.Arrays.copyOfRange(sb2, from, to);
                    System.arraycopy(at(w, b), 0, out, from, to - from);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "aleph-meanfield-" + t);
            pool[t].start();
        }
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while solving the mean-field maps", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return out;
    }

    /** The length map V(q) = sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2 at one point. */
    public double lengthMap(double q, double sw2, double sb2) {
        double[] out = new double[1];
        maps.length(new double[] {q}, new double[] {sw2}, new double[] {sb2}, 1, out, null);
        return out[0];
    }

    /**
     * The correlation map f_q(c) = (sigma_w^2 E[phi(u)phi(v)] + sigma_b^2) / V(q) for
     * (u, v) ~ N(0, q [[1, c], [c, 1]]); at q = q* this is Poole et al.'s map.
     */
    public double correlationMap(double c, double q, double sw2, double sb2) {
        double vq = lengthMap(q, sw2, sb2);
        double[] out = new double[1];
        maps.correlation(new double[] {q}, new double[] {c}, new double[] {sw2}, new double[] {sb2},
                new double[] {vq}, 1, out, null, new double[1]);
        return out[0];
    }

    /**
     * The order-to-chaos critical line chi_1 = 1 (with c* = 1) traced by its fixed-point
     * variance q on a geometric grid from qMin to qMax; see {@link CriticalLine}.
     */
    public CriticalLine criticalLine(double qMin, double qMax, int points) {
        return CriticalLine.trace(maps, qMin, qMax, points);
    }

    private SignalPropagation[] solve(double[] sw2, double[] sb2) {
        int n = sw2.length;
        LengthFixedPoint.Solution s = LengthFixedPoint.solve(maps, sw2, sb2);
        double[] qStar = s.qStar();
        double[] qEval = new double[n];
        double[] qSlope = new double[n];
        for (int i = 0; i < n; i++) {
            double q = qStar[i];
            if (Double.isNaN(q)) {
                qEval[i] = Double.NaN;
            } else if (q == Double.POSITIVE_INFINITY) {
                qEval[i] = Q_DIVERGED;
            } else {
                qEval[i] = Math.max(q, Q_FLOOR);
            }
            qSlope[i] = q == 0 ? 0 : qEval[i];
        }
        double[] safeQ = replaceNaN(qEval, 1.0);
        
        double[] vq = new double[n];
        double[] chi = new double[n];
        maps.length(safeQ, sw2, sb2, n, vq, chi);
        boolean retry = false;
        for (int i = 0; i < n; i++) {
            if (qStar[i] == Double.POSITIVE_INFINITY && !(Double.isFinite(vq[i]) && Double.isFinite(chi[i]))) {
                qEval[i] = Math.min(s.qLast()[i], Q_DIVERGED); // the activation overflows at 1e12
                safeQ[i] = qEval[i];
                qSlope[i] = qEval[i];
                retry = true;
            }
        }
        if (retry) {
            maps.length(safeQ, sw2, sb2, n, vq, chi);
        }
        double[] lengthSlope = Slopes.length(maps, sw2, sb2, qSlope);
        double[] slopeAt1 = new double[n];
        for (int i = 0; i < n; i++) {
            slopeAt1[i] = Double.isNaN(qEval[i]) ? Double.NaN : (vq[i] > 0 ? chi[i] * qEval[i] / vq[i] : 0.0);
        }
        double[] cStar = CorrelationFixedPoint.solve(maps, qEval, sw2, sb2, vq, slopeAt1);
        double[] f = new double[n];
        double[] fSlope = new double[n];
        maps.correlation(safeQ, replaceNaN(cStar, 1.0), sw2, sb2, vq, n, f, fSlope, new double[n]);
        double[] vStar = new double[n];
        maps.length(replaceNaN(replaceInfinite(qStar), 1.0), sw2, sb2, n, vStar, null);

        SignalPropagation[] out = new SignalPropagation[n];
        for (int i = 0; i < n; i++) {
            boolean known = !Double.isNaN(qEval[i]);
            double chi1 = known ? chi[i] : Double.NaN;
            double cs = cStar[i];
            double corrSlope = known && !Double.isNaN(cs) ? fSlope[i] : Double.NaN;
            double lengthResidual = Double.isFinite(qStar[i]) ? Math.abs(vStar[i] - qStar[i]) : Double.NaN;
            double corrResidual = known && !Double.isNaN(cs) ? Math.abs(f[i] - cs) : Double.NaN;
            out[i] = new SignalPropagation(sw2[i], sb2[i], qStar[i], chi1, cs,
                    known ? lengthSlope[i] : Double.NaN, corrSlope,
                    SignalPropagation.depthScale(known ? lengthSlope[i] : Double.NaN),
                    SignalPropagation.depthScale(corrSlope),
                    SignalPropagation.depthScale(chi1),
                    lengthResidual, corrResidual);
        }
        return out;
    }

    private static double[] replaceNaN(double[] a, double value) {
        double[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            if (Double.isNaN(b[i])) {
                b[i] = value;
            }
        }
        return b;
    }

    private static double[] replaceInfinite(double[] a) {
        double[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            if (Double.isInfinite(b[i])) {
                b[i] = Double.NaN;
            }
        }
        return b;
    }

    private static void check(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new UserErrorException(name + " must be a finite number >= 0, got " + v);
        }
    }
}
