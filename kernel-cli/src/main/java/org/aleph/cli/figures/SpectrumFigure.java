package org.aleph.cli.figures;

import org.aleph.cli.plot.Figure;
import org.aleph.cli.plot.LinePlot;
import org.aleph.kernel.theory.SphereSpectrum;

/**
 * The second figure of {@code aleph dual}: side by side, the squared Hermite coefficients
 * a_k^2 = E[phi(z) He_k(z)]^2 / k! of an activation (O'Donnell 2014, chapter 11) and the NNGP
 * and NTK eigenvalues mu_k on the sphere S^(d-1) by degree k (the Funk-Hecke formula), both on
 * log axes. Values below {@link #NOISE} (squared coefficients) or {@link #EIGEN_NOISE}
 * (eigenvalues) times the largest are quadrature rounding of exact zeros and are left out.
 */
public final class SpectrumFigure {

    /** Squared Hermite coefficients below this fraction of the largest are rounding noise and not drawn. */
    static final double NOISE = 1e-26;
    /** Sphere eigenvalues below this fraction of the largest are rounding noise and not drawn. */
    static final double EIGEN_NOISE = 1e-13;

    private SpectrumFigure() {
    }

    /**
     * The two panels for {@code activation}.
     *
     * @param hermite the Hermite coefficients a_0..a_K of phi
     * @param nngp    the NNGP's eigenvalues on the sphere by degree
     * @param ntk     the NTK's eigenvalues on the sphere by degree
     */
    public static Figure of(String activation, double[] hermite, SphereSpectrum nngp, SphereSpectrum ntk) {
        int n = hermite.length;
        double[] k = new double[n];
        double[] a2 = new double[n];
        double largest = 0;
        for (double h : hermite) {
            largest = Math.max(largest, h * h);
        }
        for (int i = 0; i < n; i++) {
            k[i] = i;
            a2[i] = hermite[i] * hermite[i];
            if (a2[i] < NOISE * largest) {
                a2[i] = Double.NaN; // quadrature rounding of an exact zero (e.g. odd degrees of Relu): left out
            }
        }
        LinePlot h = LinePlot.titled(activation + ": Hermite spectrum").x("degree k").y("a_k\u00b2 = E[\u03c6(z) He_k(z)]\u00b2 / k!").logY()
                .markers("a_k\u00b2", k, a2);
        LinePlot s = LinePlot.titled("Eigenvalues on S^" + (nngp.dimension() - 1) + " by degree").x("degree k").y("\u03bc_k").logY()
                .markers("NNGP", k, aboveNoise(nngp.eigenvalues())).markers("NTK", k, aboveNoise(ntk.eigenvalues()));
        return Figure.of(h.chart(), s.chart());
    }

    /** Eigenvalues below {@value #EIGEN_NOISE} of the largest are quadrature rounding (e.g. even degrees of an odd phi): NaN, not drawn. */
    private static double[] aboveNoise(double[] mu) {
        double largest = 0;
        for (double m : mu) {
            largest = Math.max(largest, Math.abs(m));
        }
        double[] out = mu.clone();
        for (int i = 0; i < out.length; i++) {
            if (Math.abs(out[i]) < EIGEN_NOISE * largest) {
                out[i] = Double.NaN;
            }
        }
        return out;
    }
}
