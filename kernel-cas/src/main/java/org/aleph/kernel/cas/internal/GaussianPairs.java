package org.aleph.kernel.cas.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Closed forms of E[A(u) B(v)] for two {@link Atom}s and (u, v) ~ N(0, S), as Symja input
 * text in the entries of S (initially the symbols q11, q12, q22: general variances).
 *
 * <ul>
 *   <li><b>Gaussian factors</b> exp(-c1 u^2 - c2 v^2) are folded into the covariance:
 *       E_S[g exp(-z'Cz)] = det(I + 2SC)^(-1/2) E_S'[g] with S' = (I + 2SC)^(-1) S, i.e.
 *       S'11 = (s11 + 2 c2 det S)/D, S'12 = s12/D, S'22 = (s22 + 2 c1 det S)/D,
 *       D = (1 + 2 c1 s11)(1 + 2 c2 s22) - 4 c1 c2 s12^2.</li>
 *   <li><b>Polynomial x exponential x trigonometric</b> pairs: exponential tilting of the
 *       moment generating function exp(s'Ss/2) at s = a + i b, E[u^n v^m e^{s.z}] =
 *       e^{s'Ss/2} E[(U + g1)^n (V + g2)^m], g = S s, with Isserlis' moments E[U^i V^j];
 *       the real part taken in closed form.</li>
 *   <li><b>Rectified</b> pairs x^n UnitStep(x) with x^m or x^m UnitStep(x): the orthant
 *       moments of Cho &amp; Saul (2009, arc-cosine kernels), computed by the Gaussian
 *       integration-by-parts recursion E[x g] = E[d_x g] + rho E[d_y g] whose boundary
 *       terms are half-moments on the line x = 0.</li>
 *   <li><b>Erf</b>: E[erf(k u) erf(l v)] = (2/pi) arcsin(2 k l s12 / sqrt((1 + 2k^2 s11)(1 + 2l^2 s22)))
 *       (Williams 1997), E[erf(k u) e^{a v}] = e^{a^2 s22/2} erf(k a s12 / sqrt(1 + 2 k^2 s11)),
 *       and polynomial factors removed by Stein's lemma E[u g] = s11 E[d_u g] + s12 E[d_v g].</li>
 *   <li><b>Trigonometric</b> terms against rectified or Erf terms: half-line integrals through
 *       Dawson's integral ({@link HalfLineTrig}).</li>
 * </ul>
 * Anything else raises {@link Unsupported} naming the pair.
 */
final class GaussianPairs {

    /** A covariance matrix as text. */
    record Cov(String s11, String s12, String s22) {
        static final Cov SYMBOLIC = new Cov("q11", "q12", "q22");
    }

    static final String PHI0 = "(1/Sqrt(2*Pi))";

    private final Map<String, String> memo = new HashMap<>();

    /** E[A(u) B(v)] under covariance s. */
    String pair(Cov s, Atom a, Atom b) throws Unsupported {
        String key = s + "#" + a.key() + "#" + b.key();
        String hit = memo.get(key);
        if (hit != null) {
            return hit;
        }
        String r = compute(s, a, b);
        memo.put(key, r);
        return r;
    }

    private String compute(Cov s, Atom a, Atom b) throws Unsupported {
        if (!a.cZero() || !b.cZero()) {
            return fold(s, a, b);
        }
        boolean erf = a.erfK() != null || b.erfK() != null;
        boolean step = a.step() || b.step();
        if (!erf && !step) {
            return expTrig(s, a, b);
        }
        if (!erf) {
            if (a.plainExpTrig() && b.plainExpTrig() && !a.shifted() && !b.shifted()) {
                return orthant(s, a, b);
            }
            if (!a.bZero() || !b.bZero()) {
                return HalfLineTrig.pair(s, a, b);
            }
            return expOrthant(s, a, b);
        }
        if (step) {
            if (a.shifted() || b.shifted()) {
                throw new Unsupported("no closed form for Erf times a step away from 0");
            }
            if (!a.plainExpTrig() || !b.plainExpTrig()) {
                throw new Unsupported("no closed form for Erf times a rectified term times Exp, Sin or Cos");
            }
            if ((a.step() && a.erfK() != null) || (b.step() && b.erfK() != null)) {
                throw new Unsupported("no closed form for Erf(k x) UnitStep(x) within one term");
            }
        }
        if ((a.erfK() != null && !a.plainExpTrig()) || (b.erfK() != null && !b.plainExpTrig())) {
            throw new Unsupported("no closed form for Erf times Exp, Sin or Cos of the same variable");
        }
        if (a.n() == 0 && b.n() == 0) {
            return erfBase(s, a, b);
        }
        return stein(s, a, b);
    }

    private String fold(Cov s, Atom a, Atom b) throws Unsupported {
        String c1 = p(a.c());
        String c2 = p(b.c());
        String det = "(" + p(s.s11()) + "*" + p(s.s22()) + "-" + p(s.s12()) + "^2)";
        String dd = "((1+2*" + c1 + "*" + p(s.s11()) + ")*(1+2*" + c2 + "*" + p(s.s22()) + ")-4*" + c1 + "*" + c2
                + "*" + p(s.s12()) + "^2)";
        Cov t = new Cov("(" + p(s.s11()) + "+2*" + c2 + "*" + det + ")/" + dd,
                p(s.s12()) + "/" + dd,
                "(" + p(s.s22()) + "+2*" + c1 + "*" + det + ")/" + dd);
        return dd + "^(-1/2)*(" + pair(t, a.withoutGaussian(), b.withoutGaussian()) + ")";
    }

    // ---- polynomial x exponential x trigonometric: tilted moment generating function ----

    private String expTrig(Cov s, Atom a, Atom b) {
        if (a.bZero() && b.bZero()) {
            return tilted(s, a.n(), b.n(), a.a(), b.a(), "0", "0", "0", true);
        }
        if (a.bZero()) {
            return tilted(s, a.n(), b.n(), a.a(), b.a(), "0", b.b(), b.d(), false);
        }
        if (b.bZero()) {
            return tilted(s, a.n(), b.n(), a.a(), b.a(), a.b(), "0", a.d(), false);
        }
        // cos(A) cos(B) = (cos(A + B) + cos(A - B)) / 2; the two amplitudes differ by e^{-+k},
        // k = b1 b2 s12, written as cosh k -+ sinh k so that E[sin u sin v] = e^{-(..)/2} sinh(k)
        // keeps its relative accuracy at tiny variances (no difference of nearly equal exponentials).
        String plus = tilted(s, a.n(), b.n(), a.a(), b.a(), a.b(), b.b(), p(a.d()) + "+" + p(b.d()), false, false);
        String minus = tilted(s, a.n(), b.n(), a.a(), b.a(), a.b(), "-" + p(b.b()), p(a.d()) + "-" + p(b.d()), false, false);
        String k = p(a.b()) + "*" + p(b.b()) + "*" + p(s.s12());
        return "Cosh(" + k + ")*((" + plus + ")+(" + minus + "))/2-Sinh(" + k + ")*((" + plus + ")-(" + minus + "))/2";
    }

    /** E[u^n v^m e^{a1 u + a2 v} cos(b1 u + b2 v + d)]. */
    private String tilted(Cov s, int n, int m, String a1, String a2, String b1, String b2, String d, boolean real) {
        return tilted(s, n, m, a1, a2, b1, b2, d, real, true);
    }

    /** As above; without the factor e^{-b1 b2 s12} when cross is false. */
    private String tilted(Cov s, int n, int m, String a1, String a2, String b1, String b2, String d, boolean real,
                          boolean cross) {
        String s11 = p(s.s11()), s12 = p(s.s12()), s22 = p(s.s22());
        a1 = p(a1); a2 = p(a2); b1 = p(b1); b2 = p(b2);
        String[] g1 = {s11 + "*" + a1 + "+" + s12 + "*" + a2, real ? "0" : s11 + "*" + b1 + "+" + s12 + "*" + b2};
        String[] g2 = {s12 + "*" + a1 + "+" + s22 + "*" + a2, real ? "0" : s12 + "*" + b1 + "+" + s22 + "*" + b2};
        String amp = "Exp((" + a1 + "^2*" + s11 + "+2*" + a1 + "*" + a2 + "*" + s12 + "+" + a2 + "^2*" + s22
                + (real ? "" : "-" + b1 + "^2*" + s11 + (cross ? "-2*" + b1 + "*" + b2 + "*" + s12 : "") + "-" + b2 + "^2*" + s22)
                + ")/2)";
        List<String> re = new ArrayList<>();
        List<String> im = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= m; j++) {
                String mu = isserlis(s, i, j);
                if (mu == null) {
                    continue;
                }
                BigInteger c = binomial(n, i).multiply(binomial(m, j));
                String[] pw = times(power(g1, n - i, real), power(g2, m - j, real));
                re.add(c + "*" + mu + "*(" + pw[0] + ")");
                if (!real) {
                    im.add(c + "*" + mu + "*(" + pw[1] + ")");
                }
            }
        }
        String hr = sum(re);
        if (real) {
            return amp + "*(" + hr + ")";
        }
        String theta = p(d) + "+" + a1 + "*" + b1 + "*" + s11 + "+(" + a1 + "*" + b2 + "+" + a2 + "*" + b1 + ")*" + s12
                + "+" + a2 + "*" + b2 + "*" + s22;
        return amp + "*(Cos(" + theta + ")*(" + hr + ")-Sin(" + theta + ")*(" + sum(im) + "))";
    }

    /** E[U^i V^j] for (U, V) ~ N(0, s) by Isserlis' theorem; null when it is zero. */
    static String isserlis(Cov s, int i, int j) {
        if ((i + j) % 2 != 0) {
            return null;
        }
        List<String> terms = new ArrayList<>();
        for (int k = i % 2; k <= Math.min(i, j); k += 2) {
            BigInteger c = binomial(i, k).multiply(binomial(j, k)).multiply(factorial(k))
                    .multiply(doubleFactorial(i - k - 1)).multiply(doubleFactorial(j - k - 1));
            terms.add(c + pow(s.s12(), k) + pow(s.s11(), (i - k) / 2) + pow(s.s22(), (j - k) / 2));
        }
        return "(" + sum(terms) + ")";
    }

    /** (re + i im)^k as {re, im}. */
    private static String[] power(String[] g, int k, boolean real) {
        if (k == 0) {
            return new String[] {"1", "0"};
        }
        if (real) {
            return new String[] {"(" + g[0] + ")^" + k, "0"};
        }
        List<String> re = new ArrayList<>();
        List<String> im = new ArrayList<>();
        for (int l = 0; l <= k; l++) {
            String t = binomial(k, l) + (k - l == 0 ? "" : "*(" + g[0] + ")^" + (k - l)) + (l == 0 ? "" : "*(" + g[1] + ")^" + l);
            switch (l % 4) {
                case 0 -> re.add(t);
                case 1 -> im.add(t);
                case 2 -> re.add("-" + t);
                default -> im.add("-" + t);
            }
        }
        return new String[] {sum(re), sum(im)};
    }

    private static String[] times(String[] x, String[] y) {
        if (x[1].equals("0") && y[1].equals("0")) {
            return new String[] {"(" + x[0] + ")*(" + y[0] + ")", "0"};
        }
        return new String[] {
            "(" + x[0] + ")*(" + y[0] + ")-(" + x[1] + ")*(" + y[1] + ")",
            "(" + x[0] + ")*(" + y[1] + ")+(" + x[1] + ")*(" + y[0] + ")"};
    }

    // ---- rectified terms: orthant moments ----

    private String orthant(Cov s, Atom a, Atom b) {
        String rho = "corr(" + s.s12() + "," + s.s11() + "," + s.s22() + ")";
        Orthant o = new Orthant("(" + rho + ")");
        String scale = "Sqrt(" + s.s11() + ")^" + a.n() + "*Sqrt(" + s.s22() + ")^" + b.n();
        String core;
        if (a.step() && b.step()) {
            core = o.both(a.n(), b.n());
        } else if (a.step()) {
            core = o.one(a.n(), b.n());
        } else {
            core = o.one(b.n(), a.n());
        }
        return scale + "*(" + core + ")";
    }

    /** Rectified terms times real exponentials: tilt, then truncated moments with a mean ({@link ExpOrthant}). */
    private String expOrthant(Cov s, Atom a, Atom b) {
        String s11 = p(s.s11()), s12 = p(s.s12()), s22 = p(s.s22()), a1 = p(a.a()), a2 = p(b.a());
        String amp = "Exp((" + a1 + "^2*" + s11 + "+2*" + a1 + "*" + a2 + "*" + s12 + "+" + a2 + "^2*" + s22 + ")/2)";
        String t1 = a.step() && a.t() != null ? a.t() : "0";
        String t2 = b.step() && b.t() != null ? b.t() : "0";
        ExpOrthant o = new ExpOrthant(a.a(), b.a(), s.s11(), s.s12(), s.s22(), t1, t2);
        // x^n = (X' + t1)^n with X' = x - t1, whose step sits at 0
        List<String> terms = new ArrayList<>();
        for (int i = 0; i <= a.n(); i++) {
            for (int j = 0; j <= b.n(); j++) {
                if ((t1.equals("0") && i != a.n()) || (t2.equals("0") && j != b.n())) {
                    continue;
                }
                String core;
                if (a.step() && b.step()) {
                    core = o.both(i, j);
                } else if (a.step()) {
                    core = o.one(i, j);
                } else {
                    core = o.oneSwapped(j, i);
                }
                String c = binomial(a.n(), i).multiply(binomial(b.n(), j)) + pow(t1, a.n() - i) + pow(t2, b.n() - j);
                terms.add(c + "*" + core);
            }
        }
        return amp + "*(" + sum(terms) + ")";
    }

    // ---- Erf: Williams' arcsine kernel and Stein's lemma ----

    private String erfBase(Cov s, Atom a, Atom b) throws Unsupported {
        if (a.erfK() != null && b.erfK() != null) {
            String k = p(a.erfK()), l = p(b.erfK());
            return "2/Pi*ArcSin(2*" + k + "*" + l + "*" + p(s.s12()) + "/Sqrt((1+2*" + k + "^2*" + p(s.s11()) + ")*(1+2*"
                    + l + "^2*" + p(s.s22()) + ")))";
        }
        if (a.erfK() == null) {
            return erfBase(new Cov(s.s22(), s.s12(), s.s11()), b, a);
        }
        if (b.step()) {
            // erf(x) = E_W[sign(sqrt2 x - W)], W ~ N(0,1): E[erf(ku) sign(v)] = (2/pi) arcsin(corr(sqrt2 k u - W, v))
            String k = p(a.erfK());
            return "1/Pi*ArcSin(Sqrt(2)*" + k + "*corr(" + s.s12() + "," + s.s11() + "," + s.s22() + ")*Sqrt(" + s.s11()
                    + ")/Sqrt(1+2*" + k + "^2*" + p(s.s11()) + "))";
        }
        if (b.plainExpTrig()) {
            return "0";
        }
        if (!b.bZero()) {
            if (!b.aZero()) {
                throw new Unsupported("no closed form for Erf(k u) times Exp times Sin or Cos of v (needs Erf of a complex argument)");
            }
            return HalfLineTrig.erf(s, a.erfK(), b.b(), b.d());
        }
        String k = p(a.erfK()), e = p(b.a());
        return "Exp(" + e + "^2*" + p(s.s22()) + "/2)*Erf(" + k + "*" + e + "*" + p(s.s12()) + "/Sqrt(1+2*" + k + "^2*"
                + p(s.s11()) + "))";
    }

    private String stein(Cov s, Atom a, Atom b) throws Unsupported {
        if (a.n() == 0) {
            // swap the roles of u and v
            return stein(new Cov(s.s22(), s.s12(), s.s11()), b, a);
        }
        List<String> t = new ArrayList<>();
        Atom lower = a.withN(a.n() - 1);
        String rho = "corr(" + s.s12() + "," + s.s11() + "," + s.s22() + ")";
        String om = "Sqrt(1-" + rho + "^2)";
        for (Weighted w : derivative(lower)) {
            t.add(p(s.s11()) + "*" + w.coef + "*(" + pair(s, w.atom, b) + ")");
        }
        if (lower.step() && lower.n() == 0) {
            // s11 E[delta(u) B(v)] = s11 phi_u(0) E[B(v) | u = 0], v | u = 0 ~ N(0, s22 (1 - rho^2))
            t.add("Sqrt(" + s.s11() + ")/Sqrt(2*Pi)*(" + lineMoment(b, "Sqrt(" + s.s22() + ")*" + om) + ")");
        }
        for (Weighted w : derivative(b)) {
            t.add(p(s.s12()) + "*" + w.coef + "*(" + pair(s, lower, w.atom) + ")");
        }
        if (b.step() && b.n() == 0) {
            // s12 E[A(u) delta(v)] = s12 phi_v(0) E[A(u) | v = 0] = rho s1 / sqrt(2 pi) E[A(u) | v = 0]
            t.add(rho + "*Sqrt(" + s.s11() + ")/Sqrt(2*Pi)*(" + lineMoment(lower, "Sqrt(" + s.s11() + ")*" + om) + ")");
        }
        return t.isEmpty() ? "0" : sum(t);
    }

    private record Weighted(String coef, Atom atom) {
    }

    /** E[X(w)] for w ~ N(0, sd^2) and an atom without step, exponential or trigonometric part. */
    private static String lineMoment(Atom x, String sd) throws Unsupported {
        if (x.step() || !x.plainExpTrig() || !x.cZero()) {
            throw new Unsupported("no closed form for a boundary term of " + x);
        }
        int j = x.n();
        String sd2 = "(" + sd + ")^2";
        if (x.erfK() == null) {
            return j % 2 != 0 ? "0" : doubleFactorial(j - 1) + "*" + sd2 + "^" + (j / 2);
        }
        if (j % 2 == 0) {
            return "0";
        }
        // E_j = sd^2 ((j-1) E_{j-2} + (2k/sqrt(pi)) G_{j-1}),  G_2i = (2i-1)!! (sd^2/(1+2k^2 sd^2))^i / sqrt(1+2k^2 sd^2)
        String k = p(x.erfK());
        String den = "(1+2*" + k + "^2*" + sd2 + ")";
        String e = "0";
        for (int i = 1; i <= j; i += 2) {
            String g = doubleFactorial(i - 2) + "*(" + sd2 + "/" + den + ")^" + ((i - 1) / 2) + "/Sqrt(" + den + ")";
            e = sd2 + "*(" + (i - 1) + "*(" + e + ")+2*" + k + "/Sqrt(Pi)*" + g + ")";
        }
        return e;
    }

    /** d/dx of x^n F(x) for an atom without Gaussian factor or step. */
    private static List<Weighted> derivative(Atom x) {
        List<Weighted> out = new ArrayList<>();
        if (x.n() >= 1) {
            out.add(new Weighted(String.valueOf(x.n()), x.withN(x.n() - 1)));
        }
        if (x.erfK() != null) {
            String k = p(x.erfK());
            out.add(new Weighted("(2*" + k + "/Sqrt(Pi))",
                    new Atom(x.n(), x.a(), k + "^2", x.b(), x.d(), false, null, x.aZero(), false, x.bZero())));
            return out;
        }
        if (!x.aZero()) {
            out.add(new Weighted(p(x.a()), x));
        }
        if (!x.bZero()) {
            out.add(new Weighted(p(x.b()), new Atom(x.n(), x.a(), x.c(), x.b(), p(x.d()) + "+Pi/2", false, null,
                    x.aZero(), x.cZero(), false)));
        }
        return out;
    }

    // ---- helpers ----

    /** "*(base)^k", or nothing when k = 0 (Symja reads 0^0 as Indeterminate). */
    private static String pow(String base, int k) {
        return k == 0 ? "" : "*" + p(base) + "^" + k;
    }

    static String p(String x) {
        return "(" + x + ")";
    }

    private static String sum(List<String> terms) {
        if (terms.isEmpty()) {
            return "0";
        }
        return String.join("+", terms);
    }

    static BigInteger binomial(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }

    static BigInteger factorial(int n) {
        BigInteger r = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            r = r.multiply(BigInteger.valueOf(i));
        }
        return r;
    }

    /** n!! with (-1)!! = 0!! = 1. */
    static BigInteger doubleFactorial(int n) {
        BigInteger r = BigInteger.ONE;
        for (int i = n; i > 1; i -= 2) {
            r = r.multiply(BigInteger.valueOf(i));
        }
        return r;
    }
}
