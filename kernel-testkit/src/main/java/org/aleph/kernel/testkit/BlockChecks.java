package org.aleph.kernel.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.SplittableRandom;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.CovarianceCase.Scale;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.MatrixUtils;

/**
 * The checks of {@link ActivationContract} that call {@link Activation#expectations} on
 * whole blocks: kernel matrices are positive semi-definite, and a block gives the values of
 * single calls without touching anything beyond its length.
 */
final class BlockChecks {

    /** Marker written beyond n in output arrays; must survive a call. */
    private static final double UNTOUCHED = -1234.5678;

    /** Dimension of the random points whose Gram matrices feed the PSD check. */
    private static final int DIMENSION = 3;

    private BlockChecks() {
    }

    /**
     * Random Gram matrices of 5 to 8 points in R^3, with duplicated points (rho = 1),
     * antipodal points (rho = -1), rescaled points (rho = 1 at another variance) and the zero
     * point (variance 0), times a tiny, moderate or large variance.
     */
    static void positiveSemiDefinite(ActivationContract c) {
        Activation a = c.activation();
        double tol = c.tolerance();
        Coverage coverage = new Coverage("positive semi-definite kernel matrices");
        ExpectationChecks.theory(c, c.matrices())
                .forAll(integers().between(5, 8), integers().between(1, 3), CovarianceGenerators.unit(), longs().all())
                .checkAssert((n, scaleIndex, t, seed) -> {
                    coverage.countCase();
                    Scale scale = Scale.values()[scaleIndex];
                    coverage.count("variance " + scale);
                    double v = CovarianceGenerators.variance(scale, t, c.smallestVariance(), c.largestVariance());
                    double[][] gram = gram(n, seed, v, coverage);
                    double[][][] k = kernelMatrices(a, gram, 1);
                    // near rho = +-1 a 4-ulp rounding of the correlation moves E by up to 1e-8 for
                    // functions with jumps; the eigenvalues may move by the Frobenius norm of that
                    double[][][] moved = kernelMatrices(a, gram, 1 - 4 * 0x1.0p-53);
                    String[] what = {"E[phi(u)phi(v)]", "E[phi'(u)phi'(v)]"};
                    for (int m = 0; m < 2; m++) {
                        double trace = 0;
                        for (int i = 0; i < n; i++) {
                            trace += k[m][i][i];
                        }
                        double[] eig = new EigenDecompositionSymmetric(MatrixUtils.createRealMatrix(k[m])).getEigenvalues();
                        double min = Double.POSITIVE_INFINITY;
                        for (double e : eig) {
                            min = Math.min(min, e);
                        }
                        double shift = 0;
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                shift += (k[m][i][j] - moved[m][i][j]) * (k[m][i][j] - moved[m][i][j]);
                            }
                        }
                        double allowed = Math.max(1e-10, n * tol) * Math.abs(trace) + Math.sqrt(shift) + Double.MIN_NORMAL;
                        if (!(min >= -allowed)) {
                            fail(a.name() + ": the matrix of " + what[m] + " over " + n + " points with Gram matrix "
                                    + java.util.Arrays.deepToString(gram) + " has eigenvalue " + min + " < -" + allowed
                                    + " (trace " + trace + "): " + java.util.Arrays.deepToString(k[m]));
                        }
                    }
                });
        coverage.assertCovered(Math.max(1, c.matrices() / 20), "variance TINY", "variance MODERATE", "variance LARGE",
                "duplicate point", "antipodal point", "rescaled point", "zero point");
    }

    private static double[][] gram(int n, long seed, double variance, Coverage coverage) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][DIMENSION];
        for (int i = 0; i < n; i++) {
            int kind = i == 0 ? 9 : random.nextInt(10);
            int j = i == 0 ? 0 : random.nextInt(i);
            double f = switch (kind) {
                case 0 -> 1;
                case 1 -> -1;
                case 2 -> 0.5 + 1.5 * random.nextDouble();
                default -> 0;
            };
            for (int d = 0; d < DIMENSION; d++) {
                x[i][d] = kind <= 2 ? f * x[j][d] : (kind == 3 ? 0 : random.nextGaussian());
            }
            coverage.count(switch (kind) {
                case 0 -> "duplicate point";
                case 1 -> "antipodal point";
                case 2 -> "rescaled point";
                case 3 -> "zero point";
                default -> "fresh point";
            });
        }
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int d = 0; d < DIMENSION; d++) {
                    s += x[i][d] * x[j][d];
                }
                g[i][j] = variance * s / DIMENSION;
            }
        }
        return g;
    }

    /**
     * The nngp and dnngp matrices of a Gram matrix, from one block call over the upper
     * triangle; off-diagonal covariances with |rho| within 1e-6 of 1 are multiplied by
     * {@code shrink}.
     */
    static double[][][] kernelMatrices(Activation a, double[][] g, double shrink) {
        int n = g.length;
        int m = n * (n + 1) / 2;
        double[] q11 = new double[m];
        double[] q12 = new double[m];
        double[] q22 = new double[m];
        int e = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++, e++) {
                q11[e] = g[i][i];
                boolean nearOne = i != j && 1 - Math.abs(org.aleph.kernel.spi.Gaussians.correlation(g[i][i], g[i][j], g[j][j])) < 1e-6;
                q12[e] = nearOne ? g[i][j] * shrink : g[i][j];
                q22[e] = g[j][j];
            }
        }
        double[] nngp = new double[m];
        double[] dnngp = new double[m];
        a.expectations(q11, q12, q22, m, nngp, dnngp);
        double[][][] k = new double[2][n][n];
        e = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++, e++) {
                k[0][i][j] = k[0][j][i] = nngp[e];
                k[1][i][j] = k[1][j][i] = dnngp[e];
            }
        }
        return k;
    }

    /**
     * A block of 0 to 40 triples gives, entry by entry, the values of single calls (to 1e-15
     * relative), the same nngp when dnngp is null, leaves its inputs and every output entry
     * beyond n untouched.
     */
    static void blocks(ActivationContract c) {
        Activation a = c.activation();
        Coverage coverage = new Coverage("block evaluation");
        Falsification.check(c, c.examples() / 2,
                lists().of(CovarianceGenerators.triples(c.smallestVariance(), c.largestVariance())).ofSizeBetween(0, 40), list -> {
            coverage.countCase();
            coverage.count(list.isEmpty() ? "empty block" : (list.size() == 1 ? "single" : "several"));
            list.forEach(coverage::count);
            checkBlock(a, list);
        });
        coverage.assertCovered(1, "empty block", "several", "rho EXACT_PLUS_ONE", "rho NEAR_MINUS_ONE", "variance ZERO");
    }

    private static void checkBlock(Activation a, List<CovarianceCase> list) {
        int n = list.size();
        int pad = 3;
        double[] q11 = new double[n + pad];
        double[] q12 = new double[n + pad];
        double[] q22 = new double[n + pad];
        for (int e = 0; e < n; e++) {
            q11[e] = list.get(e).q11();
            q12[e] = list.get(e).q12();
            q22[e] = list.get(e).q22();
        }
        for (int e = n; e < n + pad; e++) {
            q11[e] = q22[e] = 1;
            q12[e] = 0.5;
        }
        double[][] inputs = {q11.clone(), q12.clone(), q22.clone()};
        double[] nngp = filled(n + pad);
        double[] dnngp = filled(n + pad);
        a.expectations(q11, q12, q22, n, nngp, dnngp);
        assertArrayEquals(inputs, new double[][] {q11, q12, q22}, a.name() + ": expectations() modified its input arrays");
        double[] alone = filled(n + pad);
        a.expectations(q11, q12, q22, n, alone, null);
        for (int e = 0; e < n + pad; e++) {
            int ee = e;
            if (e >= n) {
                assertTrue(nngp[e] == UNTOUCHED && dnngp[e] == UNTOUCHED && alone[e] == UNTOUCHED,
                        () -> a.name() + ": expectations(..., n = " + n + ", ...) wrote entry " + ee + " beyond n");
                continue;
            }
            CovarianceCase t = list.get(e);
            double[] single = ExpectationChecks.single(a, t.q11(), t.q12(), t.q22());
            assertTrue(same(single[0], nngp[e]) && same(single[1], dnngp[e]), () -> a.name() + ": entry " + ee
                    + " of a block of " + n + " is (" + nngp[ee] + ", " + dnngp[ee] + ") but a single call at " + t
                    + " gives (" + single[0] + ", " + single[1] + ")");
            assertTrue(same(nngp[e], alone[e]), () -> a.name() + ": with dnngp = null, nngp entry " + ee + " is "
                    + alone[ee] + " instead of " + nngp[ee]);
        }
    }

    /**
     * Activations must be thread-safe (the recursion calls them from several threads at once):
     * {@value #CONCURRENT_THREADS} threads released together evaluate a block of
     * {@value #CONCURRENT_BLOCK} triples, each rotated differently, into their own arrays for
     * about {@value #CONCURRENT_MILLIS} ms (2 to {@value #CONCURRENT_ROUNDS} rounds) and must get
     * exactly the values of a single-threaded call. A racy implementation (scratch arrays in fields, lazily built
     * caches without publication) shows up as a differing entry.
     */
    static void concurrency(ActivationContract c) throws InterruptedException {
        Activation a = c.activation();
        java.util.List<CovarianceCase> cases = CovarianceGenerators.sample(CONCURRENT_BLOCK, c.seed(), c.smallestVariance(),
                c.largestVariance());
        int n = cases.size();
        assertTrue(n == CONCURRENT_BLOCK && new java.util.HashSet<>(cases).size() > n / 2,
                () -> "the generator gave no block of distinct triples: " + cases);
        double[] q11 = new double[n];
        double[] q12 = new double[n];
        double[] q22 = new double[n];
        for (int e = 0; e < n; e++) {
            q11[e] = cases.get(e).q11();
            q12[e] = cases.get(e).q12();
            q22[e] = cases.get(e).q22();
        }
        double[] nngp = new double[n];
        double[] dnngp = new double[n];
        a.expectations(q11, q12, q22, n, nngp, dnngp);
        java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(CONCURRENT_THREADS);
        Thread[] threads = new Thread[CONCURRENT_THREADS];
        for (int t = 0; t < threads.length; t++) {
            int shift = t * n / CONCURRENT_THREADS;
            threads[t] = new Thread(() -> {
                // each thread sees the block rotated by its own shift, so that a race mixes different triples
                double[] r11 = new double[n];
                double[] r12 = new double[n];
                double[] r22 = new double[n];
                for (int e = 0; e < n; e++) {
                    int src = (e + shift) % n;
                    r11[e] = q11[src];
                    r12[e] = q12[src];
                    r22[e] = q22[src];
                }
                double[] k = new double[n];
                double[] d = new double[n];
                try {
                    start.await();
                } catch (InterruptedException | java.util.concurrent.BrokenBarrierException e) {
                    failure.compareAndSet(null, "interrupted: " + e);
                    return;
                }
                long until = System.nanoTime() + CONCURRENT_MILLIS * 1_000_000L;
                try {
                    for (int round = 0; failure.get() == null
                            && (round < 2 || (round < CONCURRENT_ROUNDS && System.nanoTime() < until)); round++) {
                        a.expectations(r11, r12, r22, n, k, d);
                        for (int e = 0; e < n; e++) {
                            int src = (e + shift) % n;
                            if (!same(k[e], nngp[src]) || !same(d[e], dnngp[src])) {
                                failure.compareAndSet(null, "at " + cases.get(src) + " a concurrent call gives (" + k[e]
                                        + ", " + d[e] + ") but a call alone (" + nngp[src] + ", " + dnngp[src] + ")");
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, "a concurrent call threw " + e);
                }
            }, "contract-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failure.get() == null, () -> a.name() + " is not thread-safe: " + failure.get());
    }

    /** Triples per block in the concurrency check. */
    static final int CONCURRENT_BLOCK = 64;

    /** Most rounds per thread in the concurrency check (at least 2 are run). */
    static final int CONCURRENT_ROUNDS = 200;

    /** Threads in the concurrency check. */
    static final int CONCURRENT_THREADS = 4;

    /** After this many milliseconds a thread stops starting new rounds (once it has done 2). */
    static final long CONCURRENT_MILLIS = 200;

    private static boolean same(double x, double y) {
        return x == y || Math.abs(x - y) <= 1e-15 * (Math.abs(x) + Math.abs(y)) || (Double.isNaN(x) && Double.isNaN(y));
    }

    private static double[] filled(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, UNTOUCHED);
        return a;
    }
}
