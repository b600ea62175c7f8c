package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.support.ArcCosine;

/**
 * phi(x) = a min(x, 0) + b max(x, 0), the family behind {@code ABRelu}, {@code LeakyRelu}
 * and {@code Abs} (neural-tangents {@code stax.ABRelu}). Writing phi = b relu(x) - a relu(-x)
 * and using the arc-cosine kernels of Cho &amp; Saul (2009) with J_1(theta) - J_1(pi - theta) =
 * pi cos theta gives, for s = sqrt(q11 q22), rho = cos theta,
 * <pre>
 *   E[phi(u)phi(v)]   = s ( (a - b)^2 J_1(theta) / (2 pi) + a b rho ),
 *   E[phi'(u)phi'(v)] = (a - b)^2 (pi - theta) / (2 pi) + a b,
 * </pre>
 * J_1(theta) = sin theta + (pi - theta) cos theta. In this form the two terms have the same
 * sign except where the kernel has a genuine zero, and J_1 is evaluated stably near
 * rho = -1 ({@link ArcCosine#j1}); Identity (a = b) is exactly s rho. When a b &lt; 0 the
 * derivative kernel is evaluated as (a + b)^2 / 4 + (a - b)^2 arcsin(rho) / (2 pi) instead,
 * which is exact for Abs ((2/pi) arcsin rho) at small rho. phi'(0) = (a + b) / 2.
 */
final class ABReluActivation extends ClosedFormActivation {

    private final double a;
    private final double b;
    private final double amb2;
    private final double ab;
    private final double apb4;

    ABReluActivation(String name, double a, double b) {
        super(name, "arc-cosine kernels, Cho & Saul 2009; neural-tangents ABRelu", 0.0);
        this.a = a;
        this.b = b;
        this.amb2 = (a - b) * (a - b) * INV_2PI;
        this.ab = a * b;
        this.apb4 = 0.25 * (a + b) * (a + b);
    }

    @Override
    public double phi(double x) {
        return x > 0 ? b * x : (x < 0 ? a * x : 0.0);
    }

    @Override
    public double dphi(double x) {
        return x > 0 ? b : (x < 0 ? a : 0.5 * (a + b));
    }

    @Override
    public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
        for (int e = 0; e < n; e++) {
            double s = Math.sqrt(q11[e] * q22[e]);
            double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
            double c = ArcCosine.sine(rho);
            double t = org.aleph.kernel.spi.KernelMath.acos(-rho); // pi - theta (fdlibm acos inlined: 3x cheaper than atan2)
            nngp[e] = s * (amb2 * ArcCosine.j1(rho, c, t) + ab * rho);
            if (dnngp != null) {
                dnngp[e] = ab >= 0 ? amb2 * t + ab : apb4 + amb2 * org.aleph.kernel.spi.KernelMath.asin(rho);
            }
        }
    }

    /**
     * dF/dq11 = (a - b)^2 sqrt(q11 q22 - q12^2) / (4 pi q11), dF/dq22 likewise: the term a b s rho =
     * a b q12 does not depend on the variances, and the arc-cosine term is (a - b)^2 times Relu's
     * ({@link ReluProvider}). Identity's (a = b) are 0; otherwise a zero variance returns false
     * (the derivative grows like q11^(-1/2)).
     */
    @Override
    public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
        return arcCosineVarianceDerivatives(q11, q12, q22, n, 0.5 * amb2, dq11, dq22);
    }
}
