package org.aleph.kernel.blas;

import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.LinearAlgebraProvider;

/**
 * Contributes {@link BundledOpenBlasLinearAlgebra} (Cholesky, solves, symmetric
 * eigendecomposition and products on the OpenBLAS 0.3.31 that comes with the build) to
 * kernel-dynamics' {@link LinearAlgebra#automatic()} through {@link java.util.ServiceLoader}.
 * kernel-dynamics asks for it only when the system's LAPACK/BLAS is absent, or when
 * {@code -Daleph.linearAlgebra=bundled} forces it; {@code -Daleph.bundledBlas=false} (which
 * also turns off {@link BundledOpenBlasGram}) or {@code -Daleph.pureJava=true} refuse it.
 */
public final class BundledLinearAlgebraProvider implements LinearAlgebraProvider {

    /** ServiceLoader's constructor; loads nothing. */
    public BundledLinearAlgebraProvider() {
    }

    @Override
    public String name() {
        return "bundled OpenBLAS 0.3.31 (org.bytedeco:openblas)";
    }

    @Override
    public LinearAlgebra load() {
        if (Boolean.getBoolean("aleph.pureJava")) {
            throw new IllegalStateException("disabled by -Daleph.pureJava=true");
        }
        if ("false".equalsIgnoreCase(System.getProperty(BundledOpenBlasGram.DISABLE_PROPERTY))) {
            throw new IllegalStateException("disabled by -D" + BundledOpenBlasGram.DISABLE_PROPERTY + "=false");
        }
        return BundledOpenBlasLinearAlgebra.load();
    }
}
