package org.aleph.kernel.theory;

import java.util.Objects;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Activation;

/**
 * The dual activation of a nonlinearity (Daniely, Frostig &amp; Singer 2016, arXiv:1602.05897;
 * Cho &amp; Saul 2009) composed over depth: the NNGP and NTK of two inputs with correlation rho as
 * functions of rho, for the network
 * <pre>
 *   Dense(sigma_w0, sigma_b0)  [phi  Dense(sigma_w, sigma_b)]^L
 * </pre>
 * on inputs on the sphere |x|^2 / d = 1, so that the input kernel is x.x'/d = rho (Aleph's
 * convention, DESIGN.md). Layer by layer, with q_l the common variance of the two inputs:
 * <pre>
 *   k_0 = sigma_w0^2 rho + sigma_b0^2,   theta_0 = k_0,
 *   k_l = sigma_w^2 E[phi(u)phi(v)] + sigma_b^2,   theta_l = k_l + sigma_w^2 theta_{l-1} E[phi'(u)phi'(v)],
 *   (u, v) ~ N(0, [[q_{l-1}, k_{l-1}], [k_{l-1}, q_{l-1}]]),
 * </pre>
 * the NTK recursion of Jacot et al. 2018 in the "ntk" parameterisation. The normalised duals
 * are k_L(rho) / k_L(1) and theta_L(rho) / theta_L(1), maps of [-1, 1] into itself.
 *
 * <p>Three conventions are offered, named by their factory methods:
 * <ul>
 *   <li>{@link #network}: sigma_w0 = sigma_w, sigma_b0 = sigma_b — exactly the network
 *       {@code Dense(sw,sb) ACT Dense(sw,sb) ...} that {@code aleph kernel} computes;</li>
 *   <li>{@link #unitVariance}: sigma_w0 = 1, sigma_b0 = 0, sigma_w^2 = 1 / E[phi(z)^2],
 *       sigma_b = 0 — every pre-activation has variance 1 and k_L is Daniely et al.'s dual
 *       kappa(rho) = E[phi(u)phi(v)] / E[phi(z)^2] composed L times;</li>
 *   <li>{@link #atFixedPoint}: sigma_w0^2 = q*, sigma_b0 = 0 — the variance stays at q* and the
 *       normalised dual of one layer is Poole et al.'s correlation map c -&gt; f(c).</li>
 * </ul>
 * Each layer is one call of {@link Activation#expectations} on all correlations at once.
 */
public final class DualActivation {

    private final Activation activation;
    private final double sw2;
    private final double sb2;
    private final double inputW2;
    private final double inputB2;

    private DualActivation(Activation activation, double sw2, double sb2, double inputW2, double inputB2) {
        this.activation = Objects.requireNonNull(activation, "activation");
        check("sigma_w^2", sw2);
        check("sigma_b^2", sb2);
        check("the input layer's sigma_w^2", inputW2);
        check("the input layer's sigma_b^2", inputB2);
        this.sw2 = sw2;
        this.sb2 = sb2;
        this.inputW2 = inputW2;
        this.inputB2 = inputB2;
    }

    /** The network {@code Dense(sw,sb) [ACT Dense(sw,sb)]^L} on inputs with |x|^2/d = 1. */
    public static DualActivation network(Activation activation, double sw2, double sb2) {
        return new DualActivation(activation, sw2, sb2, sw2, sb2);
    }

    /**
     * Daniely et al.'s normalisation: unit-variance pre-activations at every layer
     * (sigma_w^2 = 1 / E[phi(z)^2], no biases).
     *
     * @throws UserErrorException when E[phi(z)^2] is 0 or not finite
     */
    public static DualActivation unitVariance(Activation activation) {
        double[] e = new double[1];
        double[] one = {1.0};
        activation.expectations(one, one, one, 1, e, null);
        if (!(e[0] > 0) || !Double.isFinite(e[0])) {
            throw new UserErrorException("E[phi(z)^2] of " + activation.name() + " is " + e[0]
                    + ", so it cannot be normalised to unit variance; give sigma_w^2 and sigma_b^2 instead");
        }
        return new DualActivation(activation, 1.0 / e[0], 0.0, 1.0, 0.0);
    }

    /** Variances held at the fixed point q* of (sw2, sb2): the first layer is Dense(sqrt(q*), 0). */
    public static DualActivation atFixedPoint(Activation activation, double sw2, double sb2, double qStar) {
        return new DualActivation(activation, sw2, sb2, qStar, 0.0);
    }

    /** sigma_w^2 of the hidden layers. */
    public double sw2() {
        return sw2;
    }

    /** sigma_b^2 of the hidden layers. */
    public double sb2() {
        return sb2;
    }

    /** sigma_w0^2 of the input layer. */
    public double inputW2() {
        return inputW2;
    }

    /** sigma_b0^2 of the input layer. */
    public double inputB2() {
        return inputB2;
    }

    /** The activation. */
    public Activation activation() {
        return activation;
    }

    /**
     * The NNGP and NTK at depths 1..depth for each input correlation.
     *
     * @param rho   input correlations in [-1, 1]
     * @param depth the number L of nonlinearities, at least 1
     */
    public DualCurves compose(double[] rho, int depth) {
        if (depth < 1) {
            throw new UserErrorException("the depth must be at least 1, got " + depth);
        }
        int n = rho.length;
        for (int i = 0; i < n; i++) {
            if (!(rho[i] >= -1 && rho[i] <= 1)) {
                throw new UserErrorException("correlation number " + (i + 1) + " is " + rho[i] + "; it must lie in [-1, 1]");
            }
        }
        int m = n + 1; // the last slot holds rho = 1, the diagonal
        double[] k = new double[m];
        double[] theta = new double[m];
        for (int i = 0; i < m; i++) {
            double r = i < n ? rho[i] : 1.0;
            k[i] = inputW2 * r + inputB2;
            theta[i] = k[i];
        }
        double[] q = new double[m];
        double[] e = new double[m];
        double[] de = new double[m];
        double[][] nngp = new double[depth][];
        double[][] ntk = new double[depth][];
        double[] var = new double[depth];
        double[] ntkDiag = new double[depth];
        for (int l = 0; l < depth; l++) {
            java.util.Arrays.fill(q, k[n]);
            for (int i = 0; i < n; i++) {
                k[i] = Math.max(-q[i], Math.min(q[i], k[i]));
            }
            activation.expectations(q, k, q, m, e, de);
            for (int i = 0; i < m; i++) {
                double kNew = sw2 * e[i] + sb2;
                theta[i] = kNew + sw2 * theta[i] * de[i];
                k[i] = kNew;
            }
            nngp[l] = java.util.Arrays.copyOf(k, n);
            ntk[l] = java.util.Arrays.copyOf(theta, n);
            var[l] = k[n];
            ntkDiag[l] = theta[n];
        }
        return new DualCurves(rho.clone(), nngp, ntk, var, ntkDiag);
    }

    /**
     * Like {@link #compose(double[], int)}, with the correlations cut into one chunk per thread
     * (each chunk recomputes the diagonal, so every value is the same as in one block).
     */
    public DualCurves compose(double[] rho, int depth, int threads) {
        int chunks = Math.max(1, Math.min(threads, rho.length / 64));
        if (chunks == 1) {
            return compose(rho, depth);
        }
        DualCurves[] parts = new DualCurves[chunks];
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] pool = new Thread[chunks];
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) rho.length * c / chunks);
            int to = (int) ((long) rho.length * (c + 1) / chunks);
            int slot = c;
            pool[c] = new Thread(() -> {
                try {
                    parts[slot] = compose(java.util.Arrays.copyOfRange(rho, from, to), depth);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "aleph-dual-" + c);
            pool[c].start();
        }
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while composing the dual", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return DualCurves.concatenate(parts);
    }

    private static void check(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new UserErrorException(name + " must be a finite number >= 0, got " + v);
        }
    }
}
