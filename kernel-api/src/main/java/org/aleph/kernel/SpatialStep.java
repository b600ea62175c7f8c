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
            if (ws.full) {
                SpatialPasses.convFull(ws.k, ws.tmp, ws.k2, rows, cols);
                SpatialPasses.convFull(ws.t, ws.tmp, ws.t2, rows, cols);
            } else {
                SpatialPasses.convDiagonal(ws.k, ws.tmp, ws.k2, rows, cols);
                SpatialPasses.convDiagonal(ws.t, ws.tmp, ws.t2, rows, cols);
            }
            ws.swap();
            ws.dims(rows.out, cols.out);
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
            if (ws.full) {
                SpatialPasses.convFull(ws.k, ws.tmp, ws.k2, rows, cols);
                SpatialPasses.convFull(ws.t, ws.tmp, ws.t2, rows, cols);
            } else {
                SpatialPasses.convDiagonal(ws.k, ws.tmp, ws.k2, rows, cols);
                SpatialPasses.convDiagonal(ws.t, ws.tmp, ws.t2, rows, cols);
            }
            ws.swap();
            ws.dims(rows.out, cols.out);
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

    /** {@code x + f(x)}: K <- K + K_f, T <- T + T_f, the branch keeping the image size. */
    record Residual(List<SpatialStep> branch, int depth) implements SpatialStep {
        @Override
        public void apply(SpatialWorkspace ws) {
            double[][] saved = ws.saved(depth);
            int n = ws.length;
            System.arraycopy(ws.k, 0, saved[0], 0, n);
            System.arraycopy(ws.t, 0, saved[1], 0, n);
            for (SpatialStep s : branch) {
                s.apply(ws);
            }
            double[] k = ws.k;
            double[] t = ws.t;
            for (int e = 0; e < n; e++) {
                k[e] += saved[0][e];
                t[e] += saved[1][e];
            }
        }
    }
}
