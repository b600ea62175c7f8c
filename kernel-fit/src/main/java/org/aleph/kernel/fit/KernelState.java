package org.aleph.kernel.fit;

/**
 * The NNGP state of a {@link PairLayout} at one layer: K(x_i, x_j) of every stored entry and
 * the variance K(x_i, x_i) of every point. Mutable working arrays, updated layer by layer in
 * place by {@link NngpRecursion}.
 *
 * @param entries   one value per entry of the layout, in layout order
 * @param variances one value per point
 */
public record KernelState(double[] entries, double[] variances) {

    /** A deep copy. */
    public KernelState copy() {
        return new KernelState(entries.clone(), variances.clone());
    }
}
