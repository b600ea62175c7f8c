package org.aleph.kernel.finite;

import java.util.EnumMap;
import java.util.Map;

/**
 * What {@link Verification} measured: for each width, the mean of every {@link Quantity} over
 * the networks of that width, its standard error, and the seconds it took; for each quantity, the least-squares
 * log-log slope against width (theory: negative, about -1/2 for the fluctuations at
 * initialisation).
 */
public final class VerificationReport {

    private final String spec;
    private final int[] widths;
    private final Map<Quantity, double[]> values;
    private final Map<Quantity, double[]> standardErrors;
    private final double[] seconds;
    private final int seeds;
    private final int steps;
    private final double learningRate;
    private final int trainCount;
    private final int testCount;

    VerificationReport(String spec, int[] widths, Map<Quantity, double[]> values, Map<Quantity, double[]> standardErrors, double[] seconds,
                       int seeds, int steps, double learningRate, int trainCount, int testCount) {
        this.spec = spec;
        this.widths = widths.clone();
        this.values = new EnumMap<>(values);
        this.standardErrors = new EnumMap<>(standardErrors);
        this.seconds = seconds.clone();
        this.seeds = seeds;
        this.steps = steps;
        this.learningRate = learningRate;
        this.trainCount = trainCount;
        this.testCount = testCount;
    }

    /** The network spec. */
    public String spec() {
        return spec;
    }

    /** The widths, in the order measured. */
    public int[] widths() {
        return widths.clone();
    }

    /** The mean of a quantity at each width. */
    public double[] values(Quantity q) {
        return values.get(q).clone();
    }

    /**
     * The standard error of each mean, {@code sd / sqrt(S)} over the S networks of a width (NaN
     * with a single network).
     */
    public double[] standardErrors(Quantity q) {
        return standardErrors.get(q).clone();
    }

    /** The fitted log-log slope of a quantity against width (NaN if undefined). */
    public double slope(Quantity q) {
        return LogLogFit.slope(widths, values.get(q));
    }

    /** The wall-clock seconds spent on each width. */
    public double[] seconds() {
        return seconds.clone();
    }

    /** Networks per width. */
    public int seeds() {
        return seeds;
    }

    /** Gradient-descent steps (the time t at which predictions are compared). */
    public int steps() {
        return steps;
    }

    /** The learning rate eta used. */
    public double learningRate() {
        return learningRate;
    }

    /** The number of training points. */
    public int trainCount() {
        return trainCount;
    }

    /** The number of test points. */
    public int testCount() {
        return testCount;
    }
}
