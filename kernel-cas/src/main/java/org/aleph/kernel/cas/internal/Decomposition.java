package org.aleph.kernel.cas.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IExpr;

/**
 * Splits an expanded, rectified phi into a linear combination of {@link Atom}s,
 * sum_i K_i x^n_i exp(a_i x - c_i x^2) cos(b_i x + d_i) [UnitStep(x)] [Erf(k_i x)].
 * Products of sines and cosines are reduced with cos A cos B = (cos(A+B) + cos(A-B))/2
 * (sin y = cos(y - pi/2)); equal atoms are merged. A factor outside these families
 * (Tanh(x), Log(x), Erf(x)^2, Exp(x^3), ...) raises {@link Unsupported} naming it.
 */
final class Decomposition {

    /** One term K * atom. */
    record Term(IExpr coefficient, Atom atom) {
    }

    private final SymjaSession cas;
    private final IExpr x;

    Decomposition(SymjaSession cas) {
        this.cas = cas;
        this.x = cas.parse("x");
    }

    /** The merged terms of an expanded expression. */
    List<Term> terms(IExpr expanded) throws Unsupported {
        List<IExpr> summands = new ArrayList<>();
        if (expanded.isPlus()) {
            IAST p = (IAST) expanded;
            for (int i = 1; i <= p.argSize(); i++) {
                summands.add(p.get(i));
            }
        } else {
            summands.add(expanded);
        }
        Map<String, IExpr> coef = new LinkedHashMap<>();
        Map<String, Atom> atoms = new LinkedHashMap<>();
        for (IExpr s : summands) {
            for (Term t : term(s)) {
                String k = t.atom().key();
                atoms.putIfAbsent(k, t.atom());
                coef.merge(k, t.coefficient(), (u, v) -> cas.eval(F.Plus(u, v)));
            }
        }
        List<Term> out = new ArrayList<>();
        for (Map.Entry<String, Atom> e : atoms.entrySet()) {
            IExpr c = coef.get(e.getKey());
            double v = cas.number(c);
            if (!Double.isFinite(v)) {
                throw new Unsupported("the coefficient " + c + " is not a real number");
            }
            if (v != 0) {
                out.add(new Term(c, e.getValue()));
            }
        }
        return out;
    }

    private List<Term> term(IExpr s) throws Unsupported {
        List<IExpr> factors = new ArrayList<>();
        if (s.isTimes()) {
            IAST t = (IAST) s;
            for (int i = 1; i <= t.argSize(); i++) {
                factors.add(t.get(i));
            }
        } else {
            factors.add(s);
        }
        IExpr k = F.C1;
        int n = 0;
        IExpr a = F.C0;
        IExpr c = F.C0;
        boolean step = false;
        IExpr stepAt = null;
        IExpr erf = null;
        List<IExpr[]> trig = new ArrayList<>(); // {b, d}, meaning cos(b x + d)
        for (IExpr f : factors) {
            if (f.isFree(x)) {
                k = cas.eval(F.Times(k, f));
                continue;
            }
            IExpr base = f;
            int power = 1;
            if (f.isPower() && f.exponent().isInteger() && !f.base().isFree(x)) {
                power = f.exponent().toIntDefault(-1);
                base = f.base();
                if (power < 1) {
                    throw new Unsupported("the factor " + f + " is not a polynomial, exponential, trigonometric,"
                            + " rectified or Erf term");
                }
            }
            if (base.equals(x)) {
                n += power;
            } else if (base.isPower() && base.base().isFree(x)) {
                double bv = cas.number(base.base());
                if (!(bv > 0)) {
                    throw new Unsupported("no closed form for " + f + " (an x-dependent exponent needs a positive base)");
                }
                // b^p = exp(p Log(b))
                IExpr p = base.base().toString().equals("E") ? base.exponent()
                        : cas.eval(F.Expand(F.Times(base.exponent(), F.Log(base.base()))));
                List<IExpr> q = coefficients(cas, p, x, 2);
                if (q == null) {
                    throw new Unsupported("no closed form for exp of " + p + " (only a x - c x^2)");
                }
                k = cas.eval(F.Times(k, F.Power(F.E, q.get(0))));
                a = cas.eval(F.Plus(a, q.size() > 1 ? q.get(1) : F.C0));
                c = cas.eval(F.Plus(c, F.Negate(q.size() > 2 ? q.get(2) : F.C0)));
            } else if (isHead(base, "Sin") || isHead(base, "Cos")) {
                List<IExpr> q = coefficients(cas, base.first(), x, 1);
                if (q == null) {
                    throw new Unsupported("no closed form for " + base + " (only sin and cos of b x + d)");
                }
                IExpr d = q.get(0);
                if (isHead(base, "Sin")) {
                    d = cas.eval(F.Subtract(d, F.CPiHalf));
                }
                for (int i = 0; i < power; i++) {
                    trig.add(new IExpr[] {q.size() > 1 ? q.get(1) : F.C0, d});
                }
            } else if (isHead(base, "UnitStep") && base.first().equals(x)) {
                step = true;
                stepAt = maxThreshold(stepAt, F.C0);
            } else if (isHead(base, "UnitStep") && linearWithUnitSlope(base.first())) {
                // UnitStep(x - t); UnitStep(x - t1) UnitStep(x - t2) = UnitStep(x - max(t1, t2))
                step = true;
                stepAt = maxThreshold(stepAt, cas.eval(F.Negate(coefficients(cas, base.first(), x, 1).get(0))));
            } else if (isHead(base, "Erf")) {
                List<IExpr> q = coefficients(cas, base.first(), x, 1);
                if (q == null || power != 1 || erf != null || cas.number(q.get(0)) != 0) {
                    throw new Unsupported("no closed form for " + f + " (only one factor Erf(k x) per term)");
                }
                erf = q.get(1);
            } else {
                throw new Unsupported("no closed-form family for the factor " + f);
            }
        }
        double cv = cas.number(c);
        if (!(cv >= 0)) {
            throw new Unsupported("exp(k x^2) with k > 0 grows too fast for a closed form (k = " + cas.eval(F.Negate(c)) + ")");
        }
        // cos A cos B = (cos(A + B) + cos(A - B)) / 2
        List<IExpr[]> parts = new ArrayList<>();
        parts.add(new IExpr[] {F.C1, F.C0, F.C0}); // weight, b, d
        for (IExpr[] t : trig) {
            List<IExpr[]> next = new ArrayList<>();
            for (IExpr[] p : parts) {
                IExpr w = cas.eval(F.Times(F.C1D2, p[0]));
                next.add(new IExpr[] {w, cas.eval(F.Plus(p[1], t[0])), cas.eval(F.Plus(p[2], t[1]))});
                next.add(new IExpr[] {w, cas.eval(F.Subtract(p[1], t[0])), cas.eval(F.Subtract(p[2], t[1]))});
            }
            parts = next;
        }
        boolean aZero = cas.number(a) == 0;
        boolean cZero = cv == 0;
        List<Term> out = new ArrayList<>();
        for (IExpr[] p : parts) {
            IExpr w = cas.eval(F.Times(k, p[0]));
            IExpr b = p[1];
            IExpr d = p[2];
            double bv = cas.number(b);
            if (!Double.isFinite(bv)) {
                throw new Unsupported("the frequency " + b + " is not a real number");
            }
            if (bv == 0) {
                w = cas.eval(F.Times(w, F.Cos(d)));
                b = F.C0;
                d = F.C0;
            } else if (bv < 0) {
                b = cas.eval(F.Negate(b));
                d = cas.eval(F.Negate(d));
            }
            String t = stepAt == null || cas.number(stepAt) == 0 ? null : text(stepAt);
            Atom atom = new Atom(n, text(a), text(c), text(b), text(d), step, erf == null ? null : text(erf),
                    aZero, cZero, bv == 0, t);
            out.add(new Term(w, atom));
        }
        return out;
    }

    private boolean linearWithUnitSlope(IExpr f) {
        List<IExpr> q = coefficients(cas, f, x, 1);
        return q != null && q.size() == 2 && cas.number(q.get(1)) == 1 && Double.isFinite(cas.number(q.get(0)));
    }

    private IExpr maxThreshold(IExpr current, IExpr t) {
        if (current == null) {
            return t;
        }
        return cas.number(t) > cas.number(current) ? t : current;
    }

    private static boolean isHead(IExpr e, String head) {
        return e.isAST() && ((IAST) e).argSize() == 1 && ((IAST) e).head().toString().equals(head);
    }

    private static String text(IExpr e) {
        return new StringBuilder(PhiForms.number(e)).toString();
    }

    /**
     * The coefficients {c0, c1, ..., c_deg} of f as a polynomial in x of degree at most deg
     * with x-free coefficients, or null when f is not such a polynomial.
     */
    static List<IExpr> coefficients(SymjaSession cas, IExpr f, IExpr x, int deg) {
        if (f.isFree(x)) {
            return List.of(f);
        }
        IExpr isPoly = cas.eval(F.PolynomialQ(f, x));
        if (!isPoly.isTrue()) {
            return null;
        }
        IExpr list = cas.eval(F.CoefficientList(f, x));
        if (!list.isList() || ((IAST) list).argSize() > deg + 1) {
            return null;
        }
        List<IExpr> out = new ArrayList<>();
        IAST l = (IAST) list;
        for (int i = 1; i <= l.argSize(); i++) {
            out.add(l.get(i));
        }
        return out;
    }
}
