package org.aleph.kernel;

import java.util.List;
import org.aleph.kernel.spi.Activation;

/**
 * One layer of the spatial part of a network, compiled for a fixed image size by
 * {@link SpatialPlan}: it maps the NNGP and NTK covariances of a pair of images (in a
 * {@link SpatialWorkspace}) to those of the next layer, on primitive arrays (DESIGN.md,
 * "Convolutional networks").
 */
sealed interface SpatialStep {

    /** Applies the layer to the workspace's state. */
    void apply(SpatialWorkspace ws);

    /** Dense per pixel (a 1 x 1 convolution without the filter-size division): K <- w2 K + b2, T <- K + w2 T. */
    record PerPixelDense(double w2, double b2) implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            double[] k = ws.k;
            double[] t = ws.t;
            for (int e = 0; e < ws.length; e++) {
                double kn = w2 * k[e] + b2;
                k[e] = kn;
                t[e] = kn + w2 * t[e];
            }
        }
    }

    /**
     * Dense per pixel in the standard parameterisation (neural-tangents' stax.Dense,
     * parameterization='standard'): {@code T <- n K + w2 T + bias}, then {@code K <- w2 K + b2},
     * n the declared channels of the input and bias 1 when the layer has one.
     */
    record StandardPerPixelDense(double w2, double b2, double n, double bias) implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            double[] k = ws.k;
            double[] t = ws.t;
            for (int e = 0; e < ws.length; e++) {
                double ke = k[e];
                t[e] = n * ke + w2 * t[e] + bias;
                k[e] = w2 * ke + b2;
            }
        }
    }

    /**
     * Convolution in the standard parameterisation (neural-tangents' stax.Conv kernel_fn,
     * parameterization='standard'): with {@code c = W_std^2 / (kh kw)},
     * {@code T' = n windowsum(K) + c windowsum(T) + bias} (n the declared input channels: the
     * fan-in {@code n kh kw} times the window mean) and {@code K' = c windowsum(K) + b2}.
     */
    record StandardConvolution(double c, double b2, double n, double bias, AxisWindow rows, AxisWindow cols)
            implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            windowSums(ws, rows, cols);
            double[] k = ws.k;
            double[] t = ws.t;
            for (int e = 0; e < ws.length; e++) {
                double ke = k[e];
                t[e] = n * ke + c * t[e] + bias;
                k[e] = c * ke + b2;
            }
        }
    }

    /**
     * Dropout in training mode per pixel and channel (neural-tangents' stax.Dropout
     * kernel_fn_train): for an image with itself the same-pixel entries S[p, p] of both kernels
     * times 1/keep; nothing for two different inputs.
     */
    record Dropout(double factor) implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            if (!ws.sameImage) {
                return;
            }
            double[] k = ws.k;
            double[] t = ws.t;
            if (!ws.full) {
                for (int e = 0; e < ws.length; e++) {
                    k[e] *= factor;
                    t[e] *= factor;
                }
                return;
            }
            int h = ws.h;
            int w = ws.w;
            for (int h1 = 0; h1 < h; h1++) {
                for (int w1 = 0; w1 < w; w1++) {
                    int e = ((h1 * h + h1) * w + w1) * w + w1;
                    k[e] *= factor;
                    t[e] *= factor;
                }
            }
        }
    }

    /**
     * Convolution: {@code K' = c * windowsum(K) + b2}, {@code T' = K' + c * windowsum(T)} with
     * {@code c = W_std^2 / (kh kw)}.
     */
    record Convolution(double c, double b2, AxisWindow rows, AxisWindow cols) implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            windowSums(ws, rows, cols);
            double[] k = ws.k;
            double[] t = ws.t;
            for (int e = 0; e < ws.length; e++) {
                double kn = c * k[e] + b2;
                k[e] = kn;
                t[e] = kn + c * t[e];
            }
        }
    }

    /**
     * A convolution directly followed by a nonlinearity on a full covariance, fused: in pair
     * mode each output block (rows o1, o2) is summed over its windows and passed through the
     * activation while it is in cache, so the covariances cross memory once per layer instead
     * of five times (window sums, then the activation). In self mode the activation's variances
     * are the diagonal of the convolved state, so the diagonal blocks are convolved first. Every
     * entry sees the same floating-point operations as in the unfused steps, so the results are
     * bit-identical.
     */
    record ConvolutionThenActivation(Convolution conv, Nonlinearity activation) implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            if (!ws.full) {
                conv.apply(ws);
                activation.apply(ws);
                return;
            }
            FusedConvolution.apply(conv, activation, ws);
        }
    }

    /** Average pooling: both kernels summed over both windows and divided by (wh ww)^2. */
    record Pooling(AxisWindow rows, AxisWindow cols) implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            SpatialPasses.poolFull(ws.k, ws.tmp, ws.k2, rows, cols);
            SpatialPasses.poolFull(ws.t, ws.tmp, ws.t2, rows, cols);
            ws.swap();
            ws.dims(rows.out, cols.out);
            double a = (double) rows.window * cols.window;
            double scale = 1.0 / (a * a);
            double[] k = ws.k;
            double[] t = ws.t;
            for (int e = 0; e < ws.length; e++) {
                k[e] *= scale;
                t[e] *= scale;
            }
        }
    }

    /**
     * A pointwise nonlinearity per pixel pair, with (u, v) ~ N(0, [[S_aa[p,p], S[p,p']],
     * [S[p,p'], S_bb[p',p']]]): K <- E[phi(u)phi(v)], T <- T E[phi'(u)phi'(v)]. The entries go
     * to {@link Activation#expectations} in chunks of contiguous rows.
     */
    record Nonlinearity(Activation activation, int slot) implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            double[] va = ws.variancesA(slot);
            double[] vb = ws.variancesB(slot);
            PixelPairs.forEachChunk(ws, va, vb, (start, n) -> {
                activation.expectations(ws.q11, ws.q12, ws.q22, n, ws.outK, ws.outD);
                double[] k = ws.k;
                double[] t = ws.t;
                for (int i = 0; i < n; i++) {
                    k[start + i] = ws.outK[i];
                    t[start + i] *= ws.outD[i];
                }
            });
        }
    }

    /**
     * Layer normalisation per pixel over channels with neural-tangents' eps:
     * S[p,p'] / sqrt((eps + S_aa[p,p]) (eps + S_bb[p',p'])), T the same.
     */
    record PixelNorm(int slot, double eps) implements SpatialStep {
        /** Without eps. */
        PixelNorm(int slot) {
            this(slot, 0.0);
        }

        @Override
        public void apply(SpatialWorkspace ws) {
            double[] va = ws.variancesA(slot);
            double[] vb = ws.variancesB(slot);
            PixelPairs.forEachChunk(ws, va, vb, (start, n) -> {
                double[] k = ws.k;
                double[] t = ws.t;
                for (int i = 0; i < n; i++) {
                    double s = Math.sqrt((ws.q11[i] + eps) * (ws.q22[i] + eps));
                    if (s > 0) {
                        k[start + i] /= s;
                        t[start + i] /= s;
                    }
                }
            });
        }
    }

    /** Several steps in order (a Repeat's copies). */
    record Sequence(List<SpatialStep> steps) implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            for (SpatialStep s : steps) {
                s.apply(ws);
            }
        }
    }

    /**
     * Branches from a shared input joined by a sum, product or concatenation (a Residual is
     * {@code FanOut(2) Parallel(Identity; f) FanInSum}), per pixel pair with the same rules as the
     * fully connected recursion ({@link BranchRule}): a sum weights each stream's kernels
     * ({@code weights}) and adds the Stein terms {@code K0[p,p'] (dK_a[p] + dK_b[p'])},
     * {@code T0[p,p'] (dT_a[p] + dT_b[p'])} from the per-pixel variances of the input (recorded in
     * {@code slot}, the factors of each Stein term after it, computed once per image); a product keeps {@code prod K} and {@code sum_i T_i prod_(j != i) K_j}; a
     * concatenation averages. Every branch ends at the same image size.
     */
    record Branching(List<List<SpatialStep>> branches, Layer.FanIn join, double[] weights, List<Activation> stein, int slot,
                     int depth) implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            double[][] saved = ws.saved(depth);
            double[] k0 = saved[0];
            double[] t0 = saved[1];
            double[] accK = saved[2];
            double[] accT = saved[3];
            int h0 = ws.h;
            int w0 = ws.w;
            int n0 = ws.length;
            System.arraycopy(ws.k, 0, k0, 0, n0);
            System.arraycopy(ws.t, 0, t0, 0, n0);
            // In self mode the Stein factors of the input's per-pixel variances are computed once per
            // image and recorded after the variances (slots slot + 1 + 2t, slot + 2 + 2t); pairs read them.
            double[][] factors = new double[4 * stein.size()][];
            if (!stein.isEmpty()) {
                if (ws.selfMode()) {
                    double[] v = ws.variancesA(slot);
                    for (int a = 0; a < stein.size(); a++) {
                        double[] dK = new double[v.length];
                        double[] dT = new double[v.length];
                        SteinFactors.compute(stein.get(a), v, 0, v.length, dK, dT);
                        ws.record(slot + 1 + 2 * a, dK);
                        ws.record(slot + 2 + 2 * a, dT);
                        factors[4 * a] = dK;
                        factors[4 * a + 1] = dT;
                        factors[4 * a + 2] = dK;
                        factors[4 * a + 3] = dT;
                    }
                } else {
                    for (int a = 0; a < stein.size(); a++) {
                        factors[4 * a] = ws.variancesA(slot + 1 + 2 * a);
                        factors[4 * a + 1] = ws.variancesA(slot + 2 + 2 * a);
                        factors[4 * a + 2] = ws.variancesB(slot + 1 + 2 * a);
                        factors[4 * a + 3] = ws.variancesB(slot + 2 + 2 * a);
                    }
                }
            }
            double inv = 1.0 / branches.size();
            for (int b = 0; b < branches.size(); b++) {
                if (b > 0) {
                    ws.dims(h0, w0);
                    System.arraycopy(k0, 0, ws.k, 0, n0);
                    System.arraycopy(t0, 0, ws.t, 0, n0);
                }
                for (SpatialStep s : branches.get(b)) {
                    s.apply(ws);
                }
                double[] k = ws.k;
                double[] t = ws.t;
                int n = ws.length;
                for (int e = 0; e < n; e++) {
                    switch (join) {
                        case SUM -> {
                            accK[e] = b == 0 ? weights[b] * k[e] : accK[e] + weights[b] * k[e];
                            accT[e] = b == 0 ? weights[b] * t[e] : accT[e] + weights[b] * t[e];
                        }
                        case PROD -> {
                            accT[e] = b == 0 ? t[e] : accT[e] * k[e] + accK[e] * t[e];
                            accK[e] = b == 0 ? k[e] : accK[e] * k[e];
                        }
                        case CONCAT -> {
                            accK[e] = b == 0 ? inv * k[e] : accK[e] + inv * k[e];
                            accT[e] = b == 0 ? inv * t[e] : accT[e] + inv * t[e];
                        }
                    }
                }
            }
            for (int a = 0; a < stein.size(); a++) {
                double[] dKa = factors[4 * a];
                double[] dTa = factors[4 * a + 1];
                double[] dKb = factors[4 * a + 2];
                double[] dTb = factors[4 * a + 3];
                int p = h0 * w0;
                if (ws.full) {
                    for (int h1 = 0; h1 < h0; h1++) {
                        for (int h2 = 0; h2 < h0; h2++) {
                            for (int w1 = 0; w1 < w0; w1++) {
                                int row = ((h1 * h0 + h2) * w0 + w1) * w0;
                                int pa = h1 * w0 + w1;
                                for (int w2 = 0; w2 < w0; w2++) {
                                    int pb = h2 * w0 + w2;
                                    accK[row + w2] += k0[row + w2] * (dKa[pa] + dKb[pb]);
                                    accT[row + w2] += t0[row + w2] * (dTa[pa] + dTb[pb]);
                                }
                            }
                        }
                    }
                } else {
                    for (int e = 0; e < p; e++) {
                        accK[e] += k0[e] * (dKa[e] + dKb[e]);
                        accT[e] += t0[e] * (dTa[e] + dTb[e]);
                    }
                }
            }
            int n = ws.length;
            System.arraycopy(accK, 0, ws.k, 0, n);
            System.arraycopy(accT, 0, ws.t, 0, n);
        }
    }

    /** Both kernels replaced by their window sums over the convolution's windows (full or diagonal), in place. */
    private static void windowSums(SpatialWorkspace ws, AxisWindow rows, AxisWindow cols) {
        if (ws.full) {
            SpatialPasses.convFull(ws.k, ws.tmp, ws.k2, rows, cols);
            SpatialPasses.convFull(ws.t, ws.tmp, ws.t2, rows, cols);
        } else {
            SpatialPasses.convDiagonal(ws.k, ws.tmp, ws.k2, rows, cols);
            SpatialPasses.convDiagonal(ws.t, ws.tmp, ws.t2, rows, cols);
        }
        ws.swap();
        ws.dims(rows.out, cols.out);
    }
}
