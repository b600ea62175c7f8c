package org.aleph.kernel.theory;

/**
 * The NNGP k_l(rho) and NTK theta_l(rho) of a {@link DualActivation} at depths l = 1..L for a
 * vector of input correlations rho, with the diagonal values k_l(1), theta_l(1). Arrays
 * are copied out; depth indices start at 1.
 */
public final class DualCurves {

    private final double[] rho;
    private final double[][] nngp;
    private final double[][] ntk;
    private final double[] variance;
    private final double[] ntkDiagonal;

    DualCurves(double[] rho, double[][] nngp, double[][] ntk, double[] variance, double[] ntkDiagonal) {
        this.rho = rho;
        this.nngp = nngp;
        this.ntk = ntk;
        this.variance = variance;
        this.ntkDiagonal = ntkDiagonal;
    }

    /** The curves of consecutive chunks of correlations, joined (diagonals from the first). */
    static DualCurves concatenate(DualCurves[] parts) {
        int depth = parts[0].depth();
        int n = 0;
        for (DualCurves p : parts) {
            n += p.rho.length;
        }
        double[] rho = new double[n];
        double[][] nngp = new double[depth][n];
        double[][] ntk = new double[depth][n];
        int at = 0;
        for (DualCurves p : parts) {
            int m = p.rho.length;
            System.arraycopy(p.rho, 0, rho, at, m);
            for (int l = 0; l < depth; l++) {
                System.arraycopy(p.nngp[l], 0, nngp[l], at, m);
                System.arraycopy(p.ntk[l], 0, ntk[l], at, m);
            }
            at += m;
        }
        return new DualCurves(rho, nngp, ntk, parts[0].variance.clone(), parts[0].ntkDiagonal.clone());
    }

    /** The input correlations. */
    public double[] rho() {
        return rho.clone();
    }

    /** The largest depth L. */
    public int depth() {
        return nngp.length;
    }

    /** k_l(rho) at depth l (1..L). */
    public double[] nngp(int l) {
        return nngp[index(l)].clone();
    }

    /** theta_l(rho) at depth l (1..L). */
    public double[] ntk(int l) {
        return ntk[index(l)].clone();
    }

    /** k_l(1): the variance of either input at depth l. */
    public double variance(int l) {
        return variance[index(l)];
    }

    /** theta_l(1). */
    public double ntkDiagonal(int l) {
        return ntkDiagonal[index(l)];
    }

    /** k_l(rho) / k_l(1): the correlation at depth l (the normalised dual). */
    public double[] normalisedNngp(int l) {
        return scaled(nngp[index(l)], variance[index(l)]);
    }

    /** theta_l(rho) / theta_l(1). */
    public double[] normalisedNtk(int l) {
        return scaled(ntk[index(l)], ntkDiagonal[index(l)]);
    }

    private static double[] scaled(double[] a, double by) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] / by;
        }
        return out;
    }

    private int index(int l) {
        if (l < 1 || l > nngp.length) {
            throw new IndexOutOfBoundsException("depth " + l + " outside 1.." + nngp.length);
        }
        return l - 1;
    }
}
