package org.aleph.kernel.fit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Minimises a smooth function within a box by limited-memory BFGS with projection: the
 * two-loop recursion (Nocedal 1980; Nocedal and Wright, Numerical Optimization, 2nd ed.,
 * algorithm 7.4) over the variables that are not held at a bound, a backtracking line search
 * along the projected path P(x + t d) with the Armijo condition
 * {@code f(x_t) <= f(x) + 1e-4 g . (x_t - x)}, and curvature pairs kept only when
 * {@code s . y > 0}. A variable at a bound whose gradient pushes it outwards is held there
 * for the step (the active-set idea of L-BFGS-B, Byrd, Lu, Nocedal and Zhu 1995, without
 * its generalised Cauchy point).
 *
 * <p>Converged when the projected gradient's largest component is at most
 * {@code tolerance * max(1, |f|)}. A line search that cannot decrease f any more ends the run
 * too: converged when the projected gradient is within 1000 times that tolerance (the
 * gradient's own error then dominates), not converged otherwise, and so is a run that reaches
 * the iteration limit. Cost: one value and gradient per iteration plus one value per
 * backtracking step.
 */
final class ProjectedLbfgs {

    /** The function to minimise. */
    interface Objective {
        /** f(x), +infinity outside its domain. */
        double value(double[] x);

        /** f(x), writing its gradient into g; +infinity (g untouched) outside its domain. */
        double valueAndGradient(double[] x, double[] g);
    }

    /** The outcome of a run. */
    record Outcome(double[] x, double f, double[] gradient, double projectedGradientNorm, int iterations, boolean converged,
                   String message) {
    }

    static final int MEMORY = 8;
    static final double ARMIJO = 1e-4;
    /** Halvings of the step before the line search gives up. */
    static final int MAX_BACKTRACKS = 30;
    /** A trial point closer than this (largest component, log units) to x ends the line search. */
    static final double MIN_MOVE = 1e-9;

    /** The largest change of a variable in one step (log units: a factor e^3). */
    static final double MAX_STEP = 3;

    private final double[] lower;
    private final double[] upper;
    private final int maxIterations;
    private final double tolerance;
    private java.util.function.ObjIntConsumer<Double> iterations = (f, it) -> { };

    /** Receives f and the iteration number after every accepted step. */
    ProjectedLbfgs onIteration(java.util.function.ObjIntConsumer<Double> listener) {
        this.iterations = listener;
        return this;
    }

    ProjectedLbfgs(double[] lower, double[] upper, int maxIterations, double tolerance) {
        this.lower = lower.clone();
        this.upper = upper.clone();
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    Outcome minimise(Objective fn, double[] start) {
        int p = start.length;
        double[] x = project(start);
        double[] g = new double[p];
        double f = fn.valueAndGradient(x, g);
        if (!Double.isFinite(f)) {
            return new Outcome(x, f, g, Double.NaN, 0, false, "the starting point is outside the domain (the covariance is not positive definite)");
        }
        Deque<double[][]> memory = new ArrayDeque<>();
        for (int it = 1; it <= maxIterations; it++) {
            double pg = projectedNorm(x, g);
            if (pg <= tolerance * Math.max(1, Math.abs(f))) {
                return new Outcome(x, f, g, pg, it - 1, true, "projected gradient below tolerance");
            }
            boolean[] held = new boolean[p];
            for (int i = 0; i < p; i++) {
                held[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
            }
            double[] d = direction(g, held, memory);
            double slope = dot(g, d);
            if (!(slope < 0)) {
                memory.clear();
                d = direction(g, held, memory);
                slope = dot(g, d);
            }
            double t = memory.isEmpty() ? Math.min(1, 0.5 / maxAbs(d)) : 1;
            t = Math.min(t, MAX_STEP / maxAbs(d));
            double[] xt = null;
            double ft = Double.POSITIVE_INFINITY;
            boolean accepted = false;
            for (int back = 0; back < MAX_BACKTRACKS; back++) {
                xt = project(axpy(x, t, d));
                if (maxAbsDiff(xt, x) < MIN_MOVE) {
                    break; // the step no longer moves x: f cannot be decreased at the accuracy it is computed to
                }
                ft = fn.value(xt);
                double decrease = 0;
                for (int i = 0; i < p; i++) {
                    decrease += g[i] * (xt[i] - x[i]);
                }
                if (Double.isFinite(ft) && ft <= f + ARMIJO * decrease) {
                    accepted = true;
                    break;
                }
                t *= 0.5;
            }
            if (!accepted) {
                if (!memory.isEmpty()) {
                    memory.clear();
                    continue;
                }
                boolean ok = pg <= 1000 * tolerance * Math.max(1, Math.abs(f));
                return new Outcome(x, f, g, pg, it - 1, ok, ok ? "no further decrease along the gradient (at the accuracy of the gradient)"
                        : "the line search failed to decrease the objective");
            }
            double[] gt = new double[p];
            ft = fn.valueAndGradient(xt, gt);
            if (!Double.isFinite(ft)) { // the value was finite a moment ago: treat as a failed step
                memory.clear();
                continue;
            }
            double[] s = new double[p];
            double[] y = new double[p];
            for (int i = 0; i < p; i++) {
                s[i] = xt[i] - x[i];
                y[i] = gt[i] - g[i];
            }
            if (dot(s, y) > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
                memory.addLast(new double[][] {s, y});
                if (memory.size() > MEMORY) {
                    memory.removeFirst();
                }
            }
            x = xt;
            f = ft;
            g = gt;
            iterations.accept(f, it);
        }
        double pg = projectedNorm(x, g);
        boolean ok = pg <= tolerance * Math.max(1, Math.abs(f));
        return new Outcome(x, f, g, pg, maxIterations, ok, ok ? "projected gradient below tolerance"
                : "reached the iteration limit (" + maxIterations + ") with the projected gradient at " + pg);
    }

    /** -H g by the two-loop recursion over the free variables (held ones get 0). */
    private static double[] direction(double[] g, boolean[] held, Deque<double[][]> memory) {
        int p = g.length;
        double[] q = new double[p];
        for (int i = 0; i < p; i++) {
            q[i] = held[i] ? 0 : g[i];
        }
        int m = memory.size();
        double[] alpha = new double[m];
        double[] rho = new double[m];
        int k = m - 1;
        for (Iterator<double[][]> it = memory.descendingIterator(); it.hasNext(); k--) {
            double[][] sy = it.next();
            double sy0 = dotMasked(sy[0], sy[1], held);
            rho[k] = sy0 > 0 ? 1 / sy0 : 0;
            alpha[k] = rho[k] * dotMasked(sy[0], q, held);
            for (int i = 0; i < p; i++) {
                if (!held[i]) {
                    q[i] -= alpha[k] * sy[1][i];
                }
            }
        }
        if (m > 0) {
            double[][] last = memory.peekLast();
            double yy = dotMasked(last[1], last[1], held);
            double gamma = yy > 0 ? dotMasked(last[0], last[1], held) / yy : 1;
            if (gamma > 0 && Double.isFinite(gamma)) {
                for (int i = 0; i < p; i++) {
                    q[i] *= gamma;
                }
            }
        }
        k = 0;
        for (double[][] sy : memory) {
            double beta = rho[k] * dotMasked(sy[1], q, held);
            for (int i = 0; i < p; i++) {
                if (!held[i]) {
                    q[i] += (alpha[k] - beta) * sy[0][i];
                }
            }
            k++;
        }
        for (int i = 0; i < p; i++) {
            q[i] = held[i] || !Double.isFinite(q[i]) ? 0 : -q[i];
        }
        return q;
    }

    /** The largest component of the projected gradient step P(x - g) - x. */
    double projectedNorm(double[] x, double[] g) {
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            double moved = Math.min(upper[i], Math.max(lower[i], x[i] - g[i])) - x[i];
            m = Math.max(m, Math.abs(moved));
        }
        return m;
    }

    double[] project(double[] x) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
        }
        return p;
    }

    private static double[] axpy(double[] x, double t, double[] d) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i] + t * d[i];
        }
        return r;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double dotMasked(double[] a, double[] b, boolean[] held) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (!held[i]) {
                s += a[i] * b[i];
            }
        }
        return s;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double maxAbs(double[] d) {
        double m = 0;
        for (double v : d) {
            m = Math.max(m, Math.abs(v));
        }
        return m > 0 ? m : 1;
    }
}
