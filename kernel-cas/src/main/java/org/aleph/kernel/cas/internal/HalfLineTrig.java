package org.aleph.kernel.cas.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Closed forms, as Symja input text, of the cross terms between trigonometric and rectified or
 * Erf terms, through Dawson's integral F ({@code dawson(...)}, compiled as
 * {@link org.aleph.kernel.cas.Dawson#dawson}):
 *
 * <p><b>Trigonometric x rectified.</b> E[u^n cos(b1 u + d1) v^m cos(b2 v + d2) UnitStep(v)] for
 * (u, v) ~ N(0, S). The product of cosines is a sum of cos(b1 u + b2 v + d), the real part of
 * e^{i d} J with J = E[u^n v^m e^{i(b1 u + b2 v)} UnitStep(v)]. Conditioning on v = s2 z gives
 * u = rho s1 z + w with w ~ N(0, tau^2), tau^2 = s11 (1 - rho^2), independent of z; the binomial
 * expansion of u^n and the tilted moments E[w^i e^{i b1 w}] = e^{-b1^2 tau^2 / 2} E[(W + i b1 tau^2)^i]
 * (Isserlis) leave the half-line moments
 * <pre>
 *   H_k(theta) = int_0^inf z^k e^{i theta z} phi(z) dz,    theta = b1 rho s1 + b2 s2,
 *   H_0 = e^{-theta^2/2} / 2 + i F(theta / sqrt 2) / sqrt(pi),
 *   H_1 = phi(0) + i theta H_0,   H_{k+1} = k H_{k-1} + i theta H_k
 * </pre>
 * (the last by parts with z phi(z) = -phi'(z); H_0 from int_0^inf e^{-t^2} sin(2 x t) dt = F(x),
 * Abramowitz &amp; Stegun 7.4.7 / DLMF 7.7.2, and int_0^inf cos(theta z) phi(z) dz = e^{-theta^2/2}/2).
 * So H_k = p_k(i theta) H_0 + q_k(i theta) phi(0) with integer polynomials p_k, q_k, and the whole
 * expectation is e^{-b1^2 tau^2/2} s2^m [e^{-theta^2/2} X + F(theta/sqrt 2) Y + Z] with
 * polynomials X, Y, Z in theta, rho s1, tau^2, cos d, sin d: one Dawson call per pair. Every
 * argument is free of division (rho is the clamped correlation), so the formulas are continuous
 * at rho = +-1 and at vanishing variances.
 *
 * <p><b>Erf x trigonometric.</b> With erf(k u) = E_W[sign(sqrt2 k u - W)], W ~ N(0, 1), the same
 * half-line integral gives E[erf(k u) e^{i b v}] = (2i / sqrt(pi)) e^{-b^2 V / 2} F(y),
 * y = k b s12 / sqrt(1 + 2 k^2 s11), V = (s22 + 2 k^2 (s11 s22 - s12^2)) / (1 + 2 k^2 s11) (the
 * variance of v given sqrt2 k u - W); hence E[erf(k u) cos(b v + d)] = -sin(d) (2/sqrt(pi)) e^{-b^2 V/2} F(y).
 * It is the analytic continuation to imaginary rates of E[erf(k u) e^{a v}] = e^{a^2 s22/2}
 * erf(k a s12 / sqrt(1 + 2 k^2 s11)), since erf(i y) = (2i/sqrt(pi)) e^{y^2} F(y) (DLMF 7.5.1).
 *
 * <p>A real exponential factor or a step away from 0 would make theta complex and need the
 * Faddeeva function of a complex argument; those pairs raise {@link Unsupported}.
 */
final class HalfLineTrig {

    private HalfLineTrig() {
    }

    /** E[A(u) B(v)] for a pair of atoms without Gaussian factor or Erf, one of them rectified, one trigonometric. */
    static String pair(GaussianPairs.Cov s, Atom a, Atom b) throws Unsupported {
        if (a.step() && b.step()) {
            throw new Unsupported("no closed form for two rectified factors (Max, Abs, Sign, UnitStep) times Sin or Cos");
        }
        if (a.step()) {
            return pair(new GaussianPairs.Cov(s.s22(), s.s12(), s.s11()), b, a);
        }
        if (b.shifted()) {
            throw new Unsupported("no closed form for Sin or Cos times a rectified term with a step away from 0"
                    + " (it needs the Faddeeva function of a complex argument)");
        }
        if (!a.aZero() || !b.aZero()) {
            throw new Unsupported("no closed form for a rectified term (Max, Abs, Sign, UnitStep) times Sin or Cos"
                    + " with an exponential factor (it needs the Faddeeva function of a complex argument)");
        }
        if (b.bZero()) {
            return cosine(s, a.n(), b.n(), a.b(), "0", a.d());
        }
        if (a.bZero()) {
            return cosine(s, a.n(), b.n(), "0", b.b(), b.d());
        }
        // cos A cos B = (cos(A + B) + cos(A - B)) / 2
        return "(" + cosine(s, a.n(), b.n(), a.b(), b.b(), p(a.d()) + "+" + p(b.d())) + "+"
                + cosine(s, a.n(), b.n(), a.b(), "-" + p(b.b()), p(a.d()) + "-" + p(b.d())) + ")/2";
    }

    /** E[erf(k u) cos(b v + d)] (no exponential factor). */
    static String erf(GaussianPairs.Cov s, String k, String b, String d) {
        String s11 = p(s.s11()), s12 = p(s.s12()), s22 = p(s.s22());
        k = p(k);
        b = p(b);
        String den = "(1+2*" + k + "^2*" + s11 + ")";
        String var = "(" + s22 + "+2*" + k + "^2*(" + s11 + "*" + s22 + "-" + s12 + "^2))/" + den;
        String y = k + "*" + b + "*" + s12 + "/Sqrt(" + den + ")";
        return "-Sin(" + d + ")*2/Sqrt(Pi)*Exp(-" + b + "^2*" + var + "/2)*dawson(" + y + ")";
    }

    /** Re E[e^{i d} u^n v^m e^{i(b1 u + b2 v)} UnitStep(v)]. */
    static String cosine(GaussianPairs.Cov s, int n, int m, String b1, String b2, String d) {
        String rho = "corr(" + s.s12() + "," + s.s11() + "," + s.s22() + ")";
        String rs1 = "(" + rho + "*Sqrt(" + s.s11() + "))";
        String s2 = "Sqrt(" + s.s22() + ")";
        String tau2 = "(" + p(s.s11()) + "*(1-" + rho + "^2))";
        b1 = p(b1);
        String theta = "(" + b1 + "*" + rs1 + "+" + p(b2) + "*" + s2 + ")";
        String cd = "Cos(" + d + ")";
        String sd = "Sin(" + d + ")";
        List<String> x = new ArrayList<>();
        List<String> y = new ArrayList<>();
        List<String> z = new ArrayList<>();
        long[][] pk = polynomials(m + n, true);
        long[][] qk = polynomials(m + n, false);
        for (int i = 0; i <= n; i++) {
            // A_i = sum_j C(n,i) C(i,j) (j-1)!! tau^j (b1 tau^2)^(i-j) i^(i-j) (rho s1)^(n-i), j even
            List<String> alpha = new ArrayList<>();
            List<String> beta = new ArrayList<>();
            for (int j = 0; j <= i; j += 2) {
                BigInteger c = GaussianPairs.binomial(n, i).multiply(GaussianPairs.binomial(i, j))
                        .multiply(GaussianPairs.doubleFactorial(j - 1));
                String t = c + pow(tau2, j / 2) + pow(b1 + "*" + tau2, i - j) + pow(rs1, n - i);
                int e = (i - j) % 4;
                (e % 2 == 0 ? alpha : beta).add((e >= 2 ? "-" : "") + t);
            }
            String al = "(" + sum(alpha) + ")", be = "(" + sum(beta) + ")";
            // Re(e^{id} A_i H_k) = Re H_k c_i - Im H_k s_i
            String ci = "(" + al + "*" + cd + "-" + be + "*" + sd + ")";
            String si = "(" + be + "*" + cd + "+" + al + "*" + sd + ")";
            int k = m + n - i;
            String[] pp = split(pk[k], theta);
            String[] qq = split(qk[k], theta);
            // H_k = P H_0 + Q phi(0); H_0 = R0 + i I0
            x.add("(" + pp[0] + ")*" + ci + "-(" + pp[1] + ")*" + si);
            y.add("-(" + pp[1] + ")*" + ci + "-(" + pp[0] + ")*" + si);
            z.add("(" + qq[0] + ")*" + ci + "-(" + qq[1] + ")*" + si);
        }
        String r0 = "Exp(-" + theta + "^2/2)/2";
        String i0 = "dawson(" + theta + "/Sqrt(2))/Sqrt(Pi)";
        return "Exp(-" + b1 + "^2*" + tau2 + "/2)" + pow(s2, m) + "*(" + r0 + "*(" + sum(x) + ")+" + i0 + "*(" + sum(y)
                + ")+" + GaussianPairs.PHI0 + "*(" + sum(z) + "))";
    }

    /**
     * Integer coefficients of p_k(w) (p_0 = 1, p_1 = w) or q_k(w) (q_0 = 0, q_1 = 1), k = 0..kmax,
     * with r_{k+1} = k r_{k-1} + w r_k and w = i theta.
     */
    static long[][] polynomials(int kmax, boolean p) {
        long[][] r = new long[kmax + 1][];
        r[0] = new long[] {p ? 1 : 0};
        if (kmax >= 1) {
            r[1] = p ? new long[] {0, 1} : new long[] {1};
        }
        for (int k = 1; k < kmax; k++) {
            long[] next = new long[r[k].length + 1];
            for (int j = 0; j < r[k - 1].length; j++) {
                next[j] += k * r[k - 1][j];
            }
            for (int j = 0; j < r[k].length; j++) {
                next[j + 1] += r[k][j];
            }
            r[k + 1] = next;
        }
        return r;
    }

    /** {Re, Im} of sum_j c_j (i theta)^j as text. */
    private static String[] split(long[] c, String theta) {
        List<String> re = new ArrayList<>();
        List<String> im = new ArrayList<>();
        for (int j = 0; j < c.length; j++) {
            if (c[j] == 0) {
                continue;
            }
            long v = (j % 4 >= 2) ? -c[j] : c[j];
            String t = "(" + v + ")" + pow(theta, j);
            (j % 2 == 0 ? re : im).add(t);
        }
        return new String[] {sum(re), sum(im)};
    }

    private static String pow(String base, int k) {
        return k == 0 ? "" : "*" + p(base) + "^" + k;
    }

    private static String p(String x) {
        return "(" + x + ")";
    }

    private static String sum(List<String> terms) {
        return terms.isEmpty() ? "0" : String.join("+", terms);
    }
}
