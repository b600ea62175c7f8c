package org.aleph.cli.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.GpInference;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.dynamics.LearningRates;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.MseEnsemble;
import org.aleph.kernel.dynamics.PosteriorKind;
import org.aleph.kernel.dynamics.Prediction;
import org.aleph.kernel.dynamics.Uncertainty;

/**
 * NNGP against NTK on a toy 1-D regression (Lee et al. 2019, "Wide neural networks of any
 * depth evolve as linear models under gradient descent", figure 1; neural-tangents'
 * cookbook): the exact Bayesian posterior of the NNGP ({@link GpInference}) and the
 * distribution of an infinite ensemble of infinitely wide networks trained by gradient
 * descent on the MSE loss ({@link MseEnsemble}, all layers trained, so the NTK drives it) at
 * t = 0, a few finite times and t = infinity. Each gives a mean and a pointwise variance on
 * the test points and on the training points, from which the 95% band mean +- 1.96 sd and the
 * errors are drawn. The error curve of the ensemble mean over log-spaced times comes from the
 * same eigendecomposition.
 */
public final class RegressionStudy {

    /** Half-width of the 95% band in standard deviations. */
    public static final double Z95 = 1.959963984540054;

    /**
     * What to compute.
     *
     * @param times        finite training times (gradient-descent steps of {@code learningRate})
     * @param diagReg      regulariser relative to the mean diagonal of the train-train kernel
     * @param curveTimes   times of the error curve
     */
    public record Settings(Network network, ToyData data, double learningRate, double[] times, double diagReg,
                           double[] curveTimes, int threads) {
    }

    /**
     * One prediction.
     *
     * @param label     e.g. "NNGP posterior" or "NTK ensemble, t = 100"
     * @param ntk       true for the NTK ensemble, false for the NNGP posterior
     * @param time      the training time (+infinity for a posterior)
     * @param testMean  mean at the test points
     * @param testSd    standard deviation at the test points
     * @param trainMean mean at the training points
     * @param trainSd   standard deviation at the training points
     */
    public record Fit(String label, boolean ntk, double time, double[] testMean, double[] testSd, double[] trainMean,
                      double[] trainSd, double trainRmse, double testRmse) {
    }

    /**
     * Everything computed.
     *
     * @param fits           the NNGP posterior, then the NTK ensemble at t = 0, the finite times and infinity
     * @param curveTrainRmse train error of the ensemble mean at each curve time
     * @param curveTestRmse  test error of the ensemble mean at each curve time
     * @param maxLearningRate the largest stable learning rate of the NTK, 2N/lambda_max
     * @param notes          notes of the solvers (ill-conditioning, regulariser)
     */
    public record Result(Settings settings, List<Fit> fits, double[] curveTrainRmse, double[] curveTestRmse,
                         double maxLearningRate, List<String> notes) {
        /** The NNGP posterior. */
        public Fit nngp() {
            return fits.get(0);
        }

        /** The NTK ensemble at the given time (0, a finite time or +infinity). */
        public Fit ntkAt(double t) {
            return fits.stream().filter(f -> f.ntk() && f.time() == t).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no NTK fit at t = " + t));
        }
    }

    private RegressionStudy() {
    }

    /** Runs the study. */
    public static Result run(Settings s, LinearAlgebra la) {
        ToyData d = s.data();
        int n = d.trainX().length;
        int m = d.testX().length;
        Matrix train = Matrix.wrap(n, 1, d.trainX().clone());
        double[] both = new double[m + n]; // test points, then the training points as test points
        System.arraycopy(d.testX(), 0, both, 0, m);
        System.arraycopy(d.trainX(), 0, both, m, n);
        KernelComputer computer = new KernelComputer(s.network(), s.threads());
        KernelPair dd = KernelPair.of(computer.compute(train, null));
        KernelResult tdResult = computer.compute(Matrix.wrap(m + n, 1, both), train);
        KernelPair td = KernelPair.of(tdResult);
        KernelPair tt = KernelPair.diagonals(tdResult.var1(), null);
        Matrix y = Matrix.wrap(n, 1, d.trainY().clone());
        DiagonalRegularizer reg = DiagonalRegularizer.relative(s.diagReg());

        List<Fit> fits = new ArrayList<>();
        GpInference gp = new GpInference(dd, y, reg, la);
        fits.add(fit("NNGP posterior", false, gp.predict(PosteriorKind.NNGP, td, tt, Uncertainty.VARIANCE), d, m));
        MseEnsemble ensemble = new MseEnsemble(dd, y, s.learningRate(), reg, la);
        double[] times = new double[s.times().length + 2];
        System.arraycopy(s.times(), 0, times, 1, s.times().length);
        times[times.length - 1] = Double.POSITIVE_INFINITY;
        List<Prediction> ps = ensemble.predictTest(KernelKind.NTK, times, td, tt, Uncertainty.VARIANCE);
        for (int i = 0; i < times.length; i++) {
            fits.add(fit("NTK ensemble, t = " + timeLabel(times[i]), true, ps.get(i), d, m));
        }
        double[] curveTrain = new double[s.curveTimes().length];
        double[] curveTest = new double[s.curveTimes().length];
        List<Prediction> curve = ensemble.predictTest(KernelKind.NTK, s.curveTimes(), td, null, Uncertainty.NONE);
        for (int i = 0; i < curveTrain.length; i++) {
            double[] mean = curve.get(i).mean().data();
            curveTest[i] = ToyData.rmse(Arrays.copyOfRange(mean, 0, m), d.testY());
            curveTrain[i] = ToyData.rmse(Arrays.copyOfRange(mean, m, m + n), d.trainY());
        }
        double lrMax = LearningRates.maxStable(dd.ntk(), n, 0, la);
        List<String> notes = new ArrayList<>(gp.notes());
        for (String note : ensemble.notes()) {
            if (!notes.contains(note)) {
                notes.add(note);
            }
        }
        return new Result(s, fits, curveTrain, curveTest, lrMax, notes);
    }

    /** "10", "1000", "1e+05" or "inf". */
    public static String timeLabel(double t) {
        if (Double.isInfinite(t)) {
            return "inf";
        }
        return t == Math.rint(t) && Math.abs(t) < 1e5 ? Long.toString((long) t) : String.format(java.util.Locale.ROOT, "%.3g", t);
    }

    private static Fit fit(String label, boolean ntk, Prediction p, ToyData d, int m) {
        double[] mean = p.mean().data();
        double[] var = p.variance();
        int n = mean.length - m;
        double[] sd = new double[mean.length];
        for (int i = 0; i < sd.length; i++) {
            sd[i] = Math.sqrt(Math.max(0, var[i]));
        }
        double[] testMean = Arrays.copyOfRange(mean, 0, m);
        double[] trainMean = Arrays.copyOfRange(mean, m, m + n);
        return new Fit(label, ntk, p.time(), testMean, Arrays.copyOfRange(sd, 0, m), trainMean,
                Arrays.copyOfRange(sd, m, m + n), ToyData.rmse(trainMean, d.trainY()), ToyData.rmse(testMean, d.testY()));
    }
}
