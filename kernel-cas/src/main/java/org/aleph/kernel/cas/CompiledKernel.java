package org.aleph.kernel.cas;

/**
 * The numeric form of a derived pair of expectations, implemented by classes that
 * {@code org.aleph.kernel.cas} generates as Java source from the Symja formulas and compiles
 * with Janino (one class per expression, cached). It is public only so that the generated
 * classes, which live in their own class loader, can implement it; it is not meant to be
 * implemented by hand.
 */
public interface CompiledKernel {

    /**
     * nngp[i] = E[phi(u)phi(v)] and (when dnngp is not null) dnngp[i] = E[phi'(u)phi'(v)] for
     * (u, v) ~ N(0, [[q11[i], q12[i]], [q12[i], q22[i]]]), i &lt; n, in one loop.
     */
    void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp);
}
