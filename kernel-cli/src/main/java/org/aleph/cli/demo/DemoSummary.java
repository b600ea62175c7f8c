package org.aleph.cli.demo;

import java.util.Locale;

/**
 * The text summary of {@code aleph demo} (written to {@code summary.txt} and printed): the
 * numbers behind the two figures, each line naming what it measures.
 */
public final class DemoSummary {

    private DemoSummary() {
    }

    /** The summary of both studies. */
    public static String text(WidthStudy.Result w, RegressionStudy.Result r) {
        StringBuilder b = new StringBuilder();
        WidthStudy.Settings s = w.settings();
        b.append("1. Finite versus infinite width (width.png, width.svg)\n");
        b.append("   network: ").append(s.network().spec()).append(", 1-D inputs on [")
                .append(number(s.grid()[0])).append(", ").append(number(s.grid()[s.grid().length - 1]))
                .append("]\n");
        b.append(String.format(Locale.ROOT, "   NNGP at a = %s, b = %s: K(a,a) = %.5f, K(a,b) = %.5f, K(b,b) = %.5f%n",
                number(s.probes()[0]), number(s.probes()[1]),
                w.probeKernel()[0], w.probeKernel()[1], w.probeKernel()[2]));
        b.append(String.format(Locale.ROOT, "   GP samples: Cholesky of K + %.3g I on %d grid points%n", w.jitter(), s.grid().length));
        b.append(String.format(Locale.ROOT, "   %-6s %-5s %9s %9s %9s %15s %17s %17s%n",
                "width", "input", "samples", "KS dist", "KS p", "excess kurt.", "variance", "cov(f(a),f(b))"));
        for (WidthStudy.Column c : w.columns()) {
            for (int p = 0; p < 2; p++) {
                SampleStatistics st = c.statistics()[p];
                String cov = p == 0 ? String.format(Locale.ROOT, "%8.5f \u00b1 %.5f", c.covariance()[0], c.covariance()[1]) : "";
                b.append(String.format(Locale.ROOT, "   %-6s %-5s %9d %9.4f %9s %7.3f \u00b1 %.3f %8.5f \u00b1 %.5f %s%n",
                        p == 0 ? c.label() : "", p == 0 ? "a" : "b", st.n(), st.ksDistance(), pValue(st.ksPValue()),
                        st.excessKurtosis(), st.kurtosisError(), st.variance(), st.varianceError(), cov));
            }
        }
        b.append("   (KS: Kolmogorov-Smirnov distance to the NNGP's N(0, K(x,x)); a Gaussian has excess kurtosis 0)\n\n");

        RegressionStudy.Settings rs = r.settings();
        ToyData d = rs.data();
        b.append("2. NNGP versus NTK (regression.png, regression.svg)\n");
        b.append("   network: ").append(rs.network().spec()).append('\n');
        b.append(String.format(Locale.ROOT, "   data: %d training points y = sin(x) + noise, %d test points on [%s, %s] (target sin x)%n",
                d.trainX().length, d.testX().length, number(d.testX()[0]), number(d.testX()[d.testX().length - 1])));
        b.append(String.format(Locale.ROOT, "   gradient flow with learning rate %s (largest stable rate of discrete steps %.3g),"
                + " diag_reg %.0e x mean diagonal%n", number(rs.learningRate()), r.maxLearningRate(), rs.diagReg()));
        b.append(String.format(Locale.ROOT, "   %-28s %11s %11s %16s%n", "prediction", "train RMSE", "test RMSE", "mean sd (train)"));
        for (RegressionStudy.Fit f : r.fits()) {
            b.append(String.format(Locale.ROOT, "   %-28s %11.5f %11.5f %16.3g%n", f.label(), f.trainRmse(), f.testRmse(), mean(f.trainSd())));
        }
        for (String note : r.notes()) {
            b.append("   note: ").append(note).append('\n');
        }
        return b.toString();
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    /** A number as the figures and the summary write it: an integer without ".0", else Java's shortest form. */
    public static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** A p-value to three decimals, in e-notation below 0.001, "< 1e-300" when it underflows. */
    public static String pValue(double p) {
        return p >= 0.001 ? String.format(Locale.ROOT, "%.3f", p) : (p > 0 ? String.format(Locale.ROOT, "%.0e", p) : "< 1e-300");
    }
}
