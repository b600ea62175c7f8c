package org.aleph.cli.data;

import org.aleph.kernel.Matrix;

/**
 * How samples are prepared before their kernels are computed (DESIGN.md, "Classification
 * defaults").
 */
public enum Preprocessing {
    /**
     * Each sample centred to mean 0 over its features and scaled so that |x|^2 / d = 1 (a
     * constant sample becomes all zeros). For images this subsumes the division by 255.
     */
    STANDARDIZE,
    /** The values as read (IDX pixels stay 0-255). */
    NONE;

    /** Applies this preprocessing to every row, in place. */
    public void apply(Matrix x) {
        if (this == NONE) {
            return;
        }
        int d = x.cols();
        double[] a = x.data();
        for (int i = 0; i < x.rows(); i++) {
            int base = i * d;
            double mean = 0;
            for (int k = 0; k < d; k++) {
                mean += a[base + k];
            }
            mean /= d;
            double sq = 0;
            for (int k = 0; k < d; k++) {
                a[base + k] -= mean;
                sq += a[base + k] * a[base + k];
            }
            double scale = sq > 0 ? Math.sqrt(d / sq) : 0;
            for (int k = 0; k < d; k++) {
                a[base + k] *= scale;
            }
        }
    }
}
