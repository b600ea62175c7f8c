package org.aleph.cli.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.finite.FiniteNetwork;

/**
 * Finite against infinite width (Neal 1996; Lee et al. 2018, "Deep neural networks as Gaussian
 * processes"): random networks of one architecture on 1-D inputs, drawn at a few finite widths
 * and compared with the Gaussian process of their NNGP kernel K.
 *
 * <p>For every finite width it draws {@code networks} networks ({@link FiniteNetwork}, NTK
 * parameterisation); the first {@code functions} are evaluated on the whole grid, all of them
 * at the two probe inputs. For infinite width it draws as many samples from N(0, K) on the grid
 * and at the probes ({@link GaussianProcessSampler}). Network i has the same seed at every
 * width (common random numbers), derived from the demo's seed only; work is split over
 * networks, so the result does not depend on the number of threads.
 */
public final class WidthStudy {

    /** Width code of the infinite-width column. */
    public static final int INFINITE = 0;

    /**
     * What to draw.
     *
     * @param widths    finite widths, in column order (the infinite column comes last)
     * @param grid      inputs of the sampled functions (1-D)
     * @param probes    the two inputs whose output distribution is measured
     * @param functions functions drawn per column
     * @param networks  networks (or GP samples) per column for the output distribution
     */
    public record Settings(Network network, int[] widths, double[] grid, double[] probes, int functions, int networks,
                           long seed, int threads) {
    }

    /**
     * One column of the figure.
     *
     * @param width      the width, {@link #INFINITE} for the Gaussian process
     * @param functions  functions x grid points
     * @param outputs    2 x networks: the outputs at the two probes
     * @param statistics statistics of each probe's outputs against N(0, K(x, x))
     * @param covariance empirical covariance of the two probes' outputs and its standard error
     */
    public record Column(int width, double[][] functions, double[][] outputs, SampleStatistics[] statistics,
                         double[] covariance) {
        /** "4", "500" or "inf". */
        public String label() {
            return width == INFINITE ? "inf" : Integer.toString(width);
        }
    }

    /**
     * Everything drawn.
     *
     * @param priorVariance K(x, x) on the grid
     * @param probeKernel   the NNGP at the probes, {K(a,a), K(a,b), K(b,b)}
     * @param jitter        the absolute jitter added to K on the grid for the GP samples
     */
    public record Result(Settings settings, double[] priorVariance, double[] probeKernel, double jitter, List<Column> columns) {
    }

    private WidthStudy() {
    }

    /**
     * Runs the study; {@code progress} hears (networks done, networks in total).
     */
    public static Result run(Settings s, LinearAlgebra la, KernelComputer.Progress progress) {
        if (s.probes().length != 2) {
            throw new IllegalArgumentException("need exactly two probe inputs, got " + s.probes().length);
        }
        int g = s.grid().length;
        double[] xs = new double[g + 2];
        System.arraycopy(s.grid(), 0, xs, 0, g);
        xs[g] = s.probes()[0];
        xs[g + 1] = s.probes()[1];
        Matrix all = Matrix.wrap(g + 2, 1, xs);
        Matrix k = new KernelComputer(s.network(), s.threads()).compute(all, null).nngp();
        double[] prior = new double[g];
        double[] gridK = new double[g * g];
        for (int i = 0; i < g; i++) {
            prior[i] = k.get(i, i);
            for (int j = 0; j < g; j++) {
                gridK[i * g + j] = k.get(i, j);
            }
        }
        double[] probeK = {k.get(g, g), k.get(g, g + 1), k.get(g + 1, g + 1)};

        long[] seeds = new long[s.networks()];
        SplittableRandom master = new SplittableRandom(s.seed());
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = master.nextLong();
        }
        List<Column> columns = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        long total = (long) s.widths().length * s.networks();
        for (int width : s.widths()) {
            columns.add(finite(s, width, all, seeds, probeK, done, total, progress));
        }
        GaussianProcessSampler gp = GaussianProcessSampler.of(Matrix.wrap(g, g, gridK), la);
        SplittableRandom rng = master.split();
        double[][] functions = gp.sample(s.functions(), rng);
        GaussianProcessSampler probeGp = GaussianProcessSampler.of(
                Matrix.wrap(2, 2, new double[] {probeK[0], probeK[1], probeK[1], probeK[2]}), la);
        double[][] pairs = probeGp.sample(s.networks(), rng);
        double[][] outputs = new double[2][s.networks()];
        for (int i = 0; i < s.networks(); i++) {
            outputs[0][i] = pairs[i][0];
            outputs[1][i] = pairs[i][1];
        }
        columns.add(column(INFINITE, functions, outputs, probeK));
        return new Result(s, prior, probeK, gp.jitter(), columns);
    }

    private static Column finite(Settings s, int width, Matrix all, long[] seeds, double[] probeK, AtomicLong done, long total,
                                 KernelComputer.Progress progress) {
        int g = s.grid().length;
        int count = s.networks();
        double[][] functions = new double[s.functions()][];
        double[][] outputs = new double[2][count];
        Matrix probes = Matrix.wrap(2, 1, s.probes().clone());
        int threads = Math.max(1, s.threads());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "demo-networks");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            int chunk = Math.max(1, count / (8 * threads));
            for (int start = 0; start < count; start += chunk) {
                int from = start;
                int to = Math.min(count, start + chunk);
                jobs.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        FiniteNetwork net = FiniteNetwork.sample(s.network(), 1, width, 1, seeds[i], 1);
                        if (i < functions.length) {
                            double[] f = net.apply(all).data();
                            functions[i] = Arrays.copyOf(f, g);
                            outputs[0][i] = f[g];
                            outputs[1][i] = f[g + 1];
                        } else {
                            double[] f = net.apply(probes).data();
                            outputs[0][i] = f[0];
                            outputs[1][i] = f[1];
                        }
                        progress.update(done.incrementAndGet(), total);
                    }
                }));
            }
            for (Future<?> j : jobs) {
                j.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while drawing networks", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
        return column(width, functions, outputs, probeK);
    }

    private static Column column(int width, double[][] functions, double[][] outputs, double[] probeK) {
        SampleStatistics[] stats = {
            SampleStatistics.of(outputs[0], probeK[0]),
            SampleStatistics.of(outputs[1], probeK[2]),
        };
        return new Column(width, functions, outputs, stats, SampleStatistics.covariance(outputs[0], outputs[1]));
    }
}
