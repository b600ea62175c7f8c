package org.aleph.kernel;

/**
 * The output of the kernel recursion for X1 (n1 x d) against X2 (n2 x d): the NNGP and
 * NTK matrices (n1 x n2) and the NNGP variances K(x,x) of each row of X1 and X2 at the
 * output. When X2 was absent, both matrices are exactly symmetric and {@code var2}
 * equals {@code var1}.
 */
public final class KernelResult {

    private final Matrix nngp;
    private final Matrix ntk;
    private final double[] var1;
    private final double[] var2;

    KernelResult(Matrix nngp, Matrix ntk, double[] var1, double[] var2) {
        this.nngp = nngp;
        this.ntk = ntk;
        this.var1 = var1;
        this.var2 = var2;
    }

    /** The NNGP kernel K(X1, X2) (shared, not copied). */
    public Matrix nngp() {
        return nngp;
    }

    /** The neural tangent kernel T(X1, X2) (shared, not copied). */
    public Matrix ntk() {
        return ntk;
    }

    /** The output NNGP variances K(x, x) of the rows of X1 (a copy). */
    public double[] var1() {
        return var1.clone();
    }

    /** The output NNGP variances K(x', x') of the rows of X2 (a copy). */
    public double[] var2() {
        return var2.clone();
    }
}
