package org.aleph.kernel.cas.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Orthant moments of a standard bivariate normal (x, y) with correlation rho, as Symja text:
 * both(n, m) = E[x^n y^m UnitStep(x) UnitStep(y)] (for n = m the arc-cosine kernels of Cho &amp;
 * Saul 2009, "Kernel methods for deep learning", NIPS), one(n, m) = E[x^n y^m UnitStep(x)].
 *
 * <p>Recursion by Gaussian integration by parts, E[x g] = E[g_x] + rho E[g_y]: the derivative of
 * a step is a Dirac delta whose term is a half-moment on the line x = 0, where y is normal with
 * variance 1 - rho^2: e.g. both(1, 1) = sqrt(1 - rho^2)/(2 pi) + rho (pi - arccos rho)/(2 pi).
 * Base: both(0, 0) = 1/2 - arccos(rho)/(2 pi), one(n, 0) = E[z^n UnitStep(z)].
 */
final class Orthant {
    private final String rho;
    private final String om;
    private final Map<Long, String> both = new HashMap<>();
    private final Map<Long, String> one = new HashMap<>();

    Orthant(String rho) {
        this.rho = rho;
        this.om = "(1-" + rho + "^2)";
    }

    String both(int n, int m) {
        if (n == 0 && m == 0) {
            return "(1/2-ArcCos(" + rho + ")/(2*Pi))";
        }
        if (n == 0) {
            return both(m, 0);
        }
        long key = ((long) n << 32) | m;
        String hit = both.get(key);
        if (hit != null) {
            return hit;
        }
        List<String> t = new ArrayList<>();
        if (n >= 2) {
            t.add((n - 1) + "*" + both(n - 2, m));
        }
        if (n == 1) {
            t.add(GaussianPairs.PHI0 + "*" + om + "^(" + m + "/2)*" + half(m));
        }
        if (m >= 1) {
            t.add(rho + "*" + m + "*" + both(n - 1, m - 1));
        } else {
            t.add(rho + "*" + GaussianPairs.PHI0 + "*" + om + "^(" + (n - 1) + "/2)*" + half(n - 1));
        }
        String r = "(" + String.join("+", t) + ")";
        both.put(key, r);
        return r;
    }

    String one(int n, int m) {
        if (m == 0) {
            return half(n);
        }
        long key = ((long) n << 32) | m;
        String hit = one.get(key);
        if (hit != null) {
            return hit;
        }
        List<String> t = new ArrayList<>();
        if (m >= 2) {
            t.add((m - 1) + "*" + one(n, m - 2));
        }
        if (n >= 1) {
            t.add(rho + "*" + n + "*" + one(n - 1, m - 1));
        } else if ((m - 1) % 2 == 0) {
            t.add(rho + "*" + GaussianPairs.PHI0 + "*" + om + "^(" + (m - 1) + "/2)*" + GaussianPairs.doubleFactorial(m - 2));
        }
        String r = t.isEmpty() ? "0" : "(" + String.join("+", t) + ")";
        one.put(key, r);
        return r;
    }

    /** E[z^k UnitStep(z)] for a standard normal z. */
    private static String half(int k) {
        return k % 2 == 0 ? "(" + GaussianPairs.doubleFactorial(k - 1) + "/2)" : "(" + GaussianPairs.doubleFactorial(k - 1) + "*" + GaussianPairs.PHI0 + ")";
    }
}
