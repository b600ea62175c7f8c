package org.aleph.kernel.cas.internal;

/**
 * Java source of {@code bvn(h, k, r)} = P(Z1 &gt; h, Z2 &gt; k) for a standard bivariate normal
 * with correlation r, included in every generated class: Genz's method (A. Genz 2004,
 * "Numerical computation of rectangular bivariate and trivariate normal and t
 * probabilities", Statistics and Computing 14, 251-260; after Drezner and Wesolowsky 1990):
 * for |r| &lt; 0.925 Gauss-Legendre quadrature of Plackett's integral over asin(r), otherwise the
 * series of the integrand near |r| = 1 plus its correction, both with 20 nodes; about 1e-15
 * absolute accuracy.
 */
final class BivariateNormal {

    /** The helper methods and constants (20-point Gauss-Legendre rule on [-1, 1]). */
    static final String SOURCE = """
            private static final double[] GX = {0.9931285991850949, 0.9639719272779138, 0.912234428251326, 0.8391169718222189, 0.7463319064601508, 0.636053680726515, 0.5108670019508271, 0.37370608871541955, 0.2277858511416451, 0.07652652113349734, -0.07652652113349734, -0.2277858511416451, -0.37370608871541955, -0.5108670019508271, -0.636053680726515, -0.7463319064601508, -0.8391169718222189, -0.912234428251326, -0.9639719272779138, -0.9931285991850949};
            private static final double[] GW = {0.017614007139152264, 0.04060142980038705, 0.06267204833410904, 0.08327674157670474, 0.10193011981724048, 0.11819453196151831, 0.1316886384491765, 0.14209610931838215, 0.14917298647260377, 0.15275338713072598, 0.15275338713072598, 0.14917298647260377, 0.14209610931838215, 0.1316886384491765, 0.11819453196151831, 0.10193011981724048, 0.08327674157670474, 0.06267204833410904, 0.04060142980038705, 0.017614007139152264};
            private static double bvn(double h, double k, double r) {
                if (Double.isNaN(h) || Double.isNaN(k) || Double.isNaN(r)) { return Double.NaN; }
                if (h == Double.POSITIVE_INFINITY || k == Double.POSITIVE_INFINITY) { return 0.0; }
                if (h == Double.NEGATIVE_INFINITY) { return k == Double.NEGATIVE_INFINITY ? 1.0 : phid(-k); }
                if (k == Double.NEGATIVE_INFINITY) { return phid(-h); }
                if (r == 0) { return phid(-h) * phid(-k); }
                double tp = 2 * Math.PI;
                double hk = h * k;
                double bvn = 0;
                if (Math.abs(r) < 0.925) {
                    double hs = (h * h + k * k) / 2;
                    double asr = Math.asin(r) / 2;
                    for (int i = 0; i < GX.length; i++) {
                        double sn = Math.sin(asr * (1 + GX[i]));
                        bvn += GW[i] * Math.exp((sn * hk - hs) / (1 - sn * sn));
                    }
                    return clamp01(bvn * asr / tp + phid(-h) * phid(-k));
                }
                if (r < 0) { k = -k; hk = -hk; }
                if (Math.abs(r) < 1) {
                    double as = (1 - r) * (1 + r);
                    double a = Math.sqrt(as);
                    double bs = (h - k) * (h - k);
                    double asr = -(bs / as + hk) / 2;
                    double c = (4 - hk) / 8;
                    double d = (12 - hk) / 80;
                    if (asr > -100) { bvn = a * Math.exp(asr) * (1 - c * (bs - as) * (1 - d * bs) / 3 + c * d * as * as); }
                    if (hk > -100) {
                        double b = Math.sqrt(bs);
                        double sp = Math.sqrt(tp) * phid(-b / a);
                        bvn -= Math.exp(-hk / 2) * sp * b * (1 - c * bs * (1 - d * bs) / 3);
                    }
                    a = a / 2;
                    double sum = 0;
                    for (int i = 0; i < GX.length; i++) {
                        double xs = a * (1 + GX[i]);
                        xs = xs * xs;
                        double asr2 = -(bs / xs + hk) / 2;
                        if (asr2 > -100) {
                            double sp = 1 + c * xs * (1 + 5 * d * xs);
                            double rs = Math.sqrt(1 - xs);
                            double ep = Math.exp(-(hk / 2) * xs / ((1 + rs) * (1 + rs))) / rs;
                            sum += GW[i] * Math.exp(asr2) * (sp - ep);
                        }
                    }
                    bvn = (a * sum - bvn) / tp;
                }
                if (r > 0) {
                    bvn += phid(-Math.max(h, k));
                } else if (h >= k) {
                    bvn = -bvn;
                } else {
                    double l = h < 0 ? phid(k) - phid(h) : phid(-h) - phid(-k);
                    bvn = l - bvn;
                }
                return clamp01(bvn);
            }
            """;

    private BivariateNormal() {
    }
}
