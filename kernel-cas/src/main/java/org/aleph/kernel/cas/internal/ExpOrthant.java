package org.aleph.kernel.cas.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Truncated moments of a bivariate normal with a non-zero mean, as Symja input text, for
 * rectified terms times real exponentials (ELU-like pieces): after exponential tilting,
 * E[u^n v^m e^{a.z} UnitStep(u) [UnitStep(v)]] = e^{a'Sa/2} E[X^n Y^m UnitStep(X) [UnitStep(Y)]]
 * with (X, Y) ~ N(S a, S).
 *
 * <p>Recursion: Stein's identity with a mean, E[X g] = mu1 E[g] + s11 E[g_x] + s12 E[g_y]
 * (and likewise for Y); the derivative of a step gives a boundary term on X = 0, where
 * Y | X = 0 is normal with mean mu2 - rho s2 mu1 / s1 and standard deviation s2 sqrt(1 - rho^2).
 * The bases are the normal distribution function Phi and the bivariate orthant probability
 * {@code bvn(h, k, rho)} = P(Z1 &gt; h, Z2 &gt; k) of a standard bivariate normal (Genz 2004,
 * "Numerical computation of rectangular bivariate and trivariate normal and t probabilities",
 * Statistics and Computing 14, 251-260), which the compiled code implements.
 * Because the mean is S a, every standardised argument is written without division, e.g.
 * mu1 / s1 = a1 s1 + a2 rho s2 and (E[Y | X = 0]) / sd = a2 s2 sqrt(1 - rho^2), so the formulas
 * stay continuous at rho = +-1 and at vanishing variances.
 */
final class ExpOrthant {

    private final String a1;
    private final String a2;
    private final String t1;
    private final String t2;
    private final boolean shifted;
    private final String mu1;
    private final String mu2;
    private final String s11;
    private final String s22;
    private final String s12;
    private final String s1;
    private final String s2;
    private final String rho;
    private final Map<Long, String> both = new HashMap<>();
    private final Map<Long, String> one = new HashMap<>();
    private ExpOrthant swapped;

    /**
     * @param a1  exponential rate of u (text); the mean of X is s11 a1 + s12 a2
     * @param a2  exponential rate of v
     * @param s11 variance of X
     * @param s12 covariance
     * @param s22 variance of Y
     */
    ExpOrthant(String a1, String a2, String s11, String s12, String s22) {
        this(a1, a2, s11, s12, s22, "0", "0");
    }

    /**
     * Moments of X' = X - t1 and Y' = Y - t2 (steps at the thresholds t1, t2 of the tilted
     * variables); with t = 0 every standardised argument stays free of division.
     */
    ExpOrthant(String a1, String a2, String s11, String s12, String s22, String t1, String t2) {
        this.a1 = p(a1);
        this.a2 = p(a2);
        this.s11 = p(s11);
        this.s12 = p(s12);
        this.s22 = p(s22);
        this.t1 = p(t1);
        this.t2 = p(t2);
        this.shifted = !t1.equals("0") || !t2.equals("0");
        this.mu1 = "(" + this.s11 + "*" + this.a1 + "+" + this.s12 + "*" + this.a2 + "-" + this.t1 + ")";
        this.mu2 = "(" + this.s12 + "*" + this.a1 + "+" + this.s22 + "*" + this.a2 + "-" + this.t2 + ")";
        this.s1 = "Sqrt(" + s11 + ")";
        this.s2 = "Sqrt(" + s22 + ")";
        this.rho = "corr(" + s12 + "," + s11 + "," + s22 + ")";
    }

    private ExpOrthant swap() {
        if (swapped == null) {
            swapped = new ExpOrthant(a2, a1, s22, s12, s11, t2, t1);
            swapped.swapped = this;
        }
        return swapped;
    }

    /** mu1 / s1 = a1 s1 + a2 rho s2 - t1 / s1. */
    private String z1() {
        return "(" + a1 + "*" + s1 + "+" + a2 + "*" + rho + "*" + s2 + "-ratio(" + t1 + "," + s1 + "))";
    }

    /** mu2 / s2 = a1 rho s1 + a2 s2 - t2 / s2. */
    private String z2() {
        return "(" + a1 + "*" + rho + "*" + s1 + "+" + a2 + "*" + s2 + "-ratio(" + t2 + "," + s2 + "))";
    }

    /** E[Y' | X' = 0] = a2 s22 (1 - rho^2) - t2 + rho s2 t1 / s1. */
    private String meanYgivenX() {
        return "(" + a2 + "*" + s22 + "*(1-" + rho + "^2)-" + t2 + "+" + rho + "*" + s2 + "*ratio(" + t1 + "," + s1 + "))";
    }

    /** E[X' | Y' = 0] = a1 s11 (1 - rho^2) - t1 + rho s1 t2 / s2. */
    private String meanXgivenY() {
        return "(" + a1 + "*" + s11 + "*(1-" + rho + "^2)-" + t1 + "+" + rho + "*" + s1 + "*ratio(" + t2 + "," + s2 + "))";
    }

    /** The standardised conditional mean: division-free without thresholds. */
    private String zGiven(String mean, String a, String s) {
        return shifted ? "ratio(" + mean + "," + s + "*" + om() + ")" : "(" + a + "*" + s + "*" + om() + ")";
    }

    private String om() {
        return "Sqrt(1-" + rho + "^2)";
    }

    /** E[X^n Y^m UnitStep(X) UnitStep(Y)]. */
    String both(int n, int m) {
        if (n == 0 && m == 0) {
            return "bvn(-" + z1() + ",-" + z2() + "," + rho + ")";
        }
        if (n == 0) {
            return swap().both(m, 0);
        }
        long key = ((long) n << 32) | m;
        String hit = both.get(key);
        if (hit != null) {
            return hit;
        }
        List<String> t = new ArrayList<>();
        t.add(mu1 + "*" + both(n - 1, m));
        if (n >= 2) {
            t.add(s11 + "*" + (n - 1) + "*" + both(n - 2, m));
        }
        if (n == 1) {
            // s11 E[delta(X) Y^m UnitStep(Y)]; Y | X = 0 ~ N(a2 s22 (1 - rho^2), s22 (1 - rho^2))
            t.add(s1 + "*" + density(z1()) + "*" + half(m, meanYgivenX(), "(" + s2 + "*" + om() + ")",
                    zGiven(meanYgivenX(), a2, s2)));
        }
        if (m >= 1) {
            t.add(s12 + "*" + m + "*" + both(n - 1, m - 1));
        } else {
            // s12 E[X^(n-1) UnitStep(X) delta(Y)]; X | Y = 0 ~ N(a1 s11 (1 - rho^2), s11 (1 - rho^2))
            t.add(rho + "*" + s1 + "*" + density(z2()) + "*" + half(n - 1, meanXgivenY(), "(" + s1 + "*" + om() + ")",
                    zGiven(meanXgivenY(), a1, s1)));
        }
        String r = "(" + String.join("+", t) + ")";
        both.put(key, r);
        return r;
    }

    /** E[X^n Y^m UnitStep(X)]. */
    String one(int n, int m) {
        if (m == 0) {
            return half(n, mu1, s1, z1());
        }
        long key = ((long) n << 32) | m;
        String hit = one.get(key);
        if (hit != null) {
            return hit;
        }
        List<String> t = new ArrayList<>();
        t.add(mu2 + "*" + one(n, m - 1));
        if (m >= 2) {
            t.add(s22 + "*" + (m - 1) + "*" + one(n, m - 2));
        }
        if (n >= 1) {
            t.add(s12 + "*" + n + "*" + one(n - 1, m - 1));
        } else {
            // s12 E[delta(X) Y^(m-1)] = rho s2 phi(mu1/s1) E[(Y | X = 0)^(m-1)]
            t.add(rho + "*" + s2 + "*" + density(z1()) + "*"
                    + full(m - 1, meanYgivenX(), "(" + s2 + "*" + om() + ")"));
        }
        String r = "(" + String.join("+", t) + ")";
        one.put(key, r);
        return r;
    }

    /** E[X^n Y^m UnitStep(Y)] written as the swapped one(n, m) with X and Y exchanged. */
    String oneSwapped(int n, int m) {
        return swap().one(n, m);
    }

    /** E[W^k UnitStep(W)] for W ~ N(mu, sd^2), z = mu / sd given without division. */
    private static String half(int k, String mu, String sd, String z) {
        if (k == 0) {
            return "(Erfc(-" + z + "/Sqrt(2))/2)";
        }
        if (k == 1) {
            return "(" + mu + "*" + half(0, mu, sd, z) + "+" + sd + "*" + density(z) + ")";
        }
        return "(" + mu + "*" + half(k - 1, mu, sd, z) + "+" + sd + "^2*" + (k - 1) + "*" + half(k - 2, mu, sd, z) + ")";
    }

    /** E[W^k] for W ~ N(mu, sd^2). */
    private static String full(int k, String mu, String sd) {
        if (k == 0) {
            return "1";
        }
        if (k == 1) {
            return mu;
        }
        return "(" + mu + "*" + full(k - 1, mu, sd) + "+" + sd + "^2*" + (k - 1) + "*" + full(k - 2, mu, sd) + ")";
    }

    private static String density(String z) {
        return "(E^(-(" + z + ")^2/2)/Sqrt(2*Pi))";
    }

    private static String p(String x) {
        return "(" + x + ")";
    }
}
