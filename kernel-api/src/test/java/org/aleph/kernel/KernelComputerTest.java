package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KernelComputerTest {

    private final ActivationRegistry registry = TestActivations.registry();

    @Test
    void singleDenseLayerIsTheScaledGramPlusBias() {
        // K = W^2 x.x'/d + b^2 and T = K for one Dense layer (DESIGN.md).
        Network net = Network.parse("Dense(2, 0.5)", registry);
        double[][] x = {{1, 2, 3}, {-1, 0, 4}};
        KernelResult r = net.kernels(Matrix.of(x), null);
        double k01 = 4 * (-1 + 0 + 12) / 3.0 + 0.25;
        assertEquals(k01, r.nngp().get(0, 1), 1e-15);
        assertEquals(4 * 14 / 3.0 + 0.25, r.nngp().get(0, 0), 1e-15);
        assertEquals(k01, r.ntk().get(0, 1), 1e-15);
    }

    @Test
    void twoLayerReluByHand() {
        // x = (1, 0), x' = (0, 1): K0 = 0, q = 1/2. Dense(1,0): same. Relu at rho = 0:
        // K = sqrt(q q')/(2 pi) = 1/(4 pi), dK = 1/4, q -> 1/4. Dense(1,0): T = K + T * 1 = 1/(4pi) + 0 * 1/4.
        Network net = Network.parse("Dense(1, 0) Relu Dense(1, 0)", registry);
        KernelResult r = net.kernels(Matrix.of(new double[][] {{1, 0}, {0, 1}}), null);
        assertEquals(1 / (4 * Math.PI), r.nngp().get(0, 1), 1e-16);
        assertEquals(1 / (4 * Math.PI), r.ntk().get(0, 1), 1e-16);
        // Diagonal: rho = 1, K = q/2 = 1/4, dK = 1/2, T = 1/4 + (1/2)(1/2) = 1/2.
        assertEquals(0.25, r.nngp().get(0, 0), 1e-16);
        assertEquals(0.5, r.ntk().get(0, 0), 1e-16);
    }

    @Test
    void tiledComputationEqualsPairwiseReference() {
        AtomicInteger rhoOne = new AtomicInteger();
        AtomicInteger rhoMinusOne = new AtomicInteger();
        AtomicInteger zeroRows = new AtomicInteger();
        qt().withExamples(25).forAll(integers().between(0, 1_000_000)).checkAssert(seed -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            Network net = RandomCases.network(rnd, registry, false);
            int n1 = 1 + rnd.nextInt(90);
            int n2 = 1 + rnd.nextInt(90);
            int d = 1 + rnd.nextInt(12);
            double[][] x1 = RandomCases.inputs(rnd, n1, d);
            double[][] x2 = RandomCases.inputs(rnd, n2, d);
            for (int j = 0; j < n2; j += 2) { // pairs across X1 and X2 at rho = +-1
                double sign = rnd.nextBoolean() ? 1 : -1;
                int from = rnd.nextInt(n1);
                for (int c = 0; c < d; c++) {
                    x2[j][c] = sign * x1[from][c];
                }
            }
            KernelResult r = new KernelComputer(net, 2).compute(Matrix.of(x1), Matrix.of(x2));
            double[][] ref = ReferenceRecursion.nngpAndNtk(net, x1, x2);
            assertClose(ref[0], r.nngp().data(), 1e-12, net + " nngp");
            assertClose(ref[1], r.ntk().data(), 1e-12, net + " ntk");
            for (double[] row : x1) {
                for (double[] col : x2) {
                    double dot = 0, a = 0, b = 0;
                    for (int c = 0; c < d; c++) {
                        dot += row[c] * col[c];
                        a += row[c] * row[c];
                        b += col[c] * col[c];
                    }
                    if (a == 0) {
                        zeroRows.incrementAndGet();
                    } else if (b > 0 && Math.abs(dot / Math.sqrt(a * b) - 1) < 1e-12) {
                        rhoOne.incrementAndGet();
                    } else if (b > 0 && Math.abs(dot / Math.sqrt(a * b) + 1) < 1e-12) {
                        rhoMinusOne.incrementAndGet();
                    }
                }
            }
        });
        assertTrue(rhoOne.get() > 100, "rho = 1 covered: " + rhoOne);
        assertTrue(rhoMinusOne.get() > 100, "rho = -1 covered: " + rhoMinusOne);
        assertTrue(zeroRows.get() > 100, "zero rows covered: " + zeroRows);
    }

    @Test
    void symmetricPsdAndDiagonalEqualsVariances() {
        qt().withExamples(25).forAll(integers().between(0, 1_000_000)).checkAssert(seed -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            Network net = RandomCases.network(rnd, registry, false);
            int n = 1 + rnd.nextInt(150);
            double[][] x = RandomCases.inputs(rnd, n, 1 + rnd.nextInt(10));
            KernelResult r = new KernelComputer(net, 2).compute(Matrix.of(x), null);
            double[] var = r.var1();
            for (Matrix m : new Matrix[] {r.nngp(), r.ntk()}) {
                double trace = 0;
                for (int i = 0; i < n; i++) {
                    trace += m.get(i, i);
                    for (int j = 0; j < i; j++) {
                        assertEquals(m.get(i, j), m.get(j, i), 0.0, "exactly symmetric");
                        // 1e-10 as for the eigenvalues: near-duplicate rows of norm 1e3 put rho within
                        // rounding of 1, where Erf's NTK moves by sqrt(q) times the rounding of rho
                        // (seed 14314 of this property: 3.6e-12 above the bound at entry 57, 39)
                        assertTrue(Math.abs(m.get(i, j)) <= Math.sqrt(m.get(i, i) * m.get(j, j)) * (1 + 1e-10) + 1e-300,
                                "Cauchy-Schwarz at " + i + "," + j);
                    }
                }
                assertTrue(correlationIsPsd(m, 1e-10 * n), net + ": an eigenvalue below -1e-10 * trace");
            }
            for (int i = 0; i < n; i++) {
                assertEquals(var[i], r.nngp().get(i, i), 0.0, "diagonal equals the propagated variance");
            }
            assertArrayEquals(var, r.var2(), 0.0);
        });
    }

    @Test
    void reluNetworkWithoutBiasIsPositivelyHomogeneous() {
        qt().withExamples(20).forAll(integers().between(0, 1_000_000)).checkAssert(seed -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            Network net = RandomCases.network(rnd, registry, true);
            double[][] x = RandomCases.inputs(rnd, 6, 5);
            double c = 0.1 + 10 * rnd.nextDouble();
            double[][] cx = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                cx[i] = x[i].clone();
                for (int j = 0; j < cx[i].length; j++) {
                    cx[i][j] *= c;
                }
            }
            KernelResult a = net.kernels(Matrix.of(x), Matrix.of(x));
            KernelResult b = net.kernels(Matrix.of(cx), Matrix.of(x));
            int n = x.length;
            for (int e = 0; e < n * n; e++) {
                // Entries near rho = -1 vanish like (1 - rho^2)^(3/2): judge them against the
                // scale sqrt(K(x,x) K(x',x')) of their row and column, not against themselves.
                double scale = c * Math.sqrt(a.nngp().get(e / n, e / n) * a.nngp().get(e % n, e % n));
                double expected = c * a.nngp().data()[e];
                assertEquals(expected, b.nngp().data()[e], 1e-11 * Math.abs(expected) + 1e-13 * scale + 1e-300, "nngp " + net);
                // The NTK is ill-conditioned at rho = +-1 (d theta / d rho = -1 / sin theta): a rounding
                // of rho by one ulp (1e-16) moves theta by ~1.5e-8 and the Relu derivative kernel
                // (pi - theta)/(2 pi) by ~2.4e-9 of the kernel's scale per layer, so 1e-7 of the
                // scale is the honest bound for the NTK.
                double scaleT = c * Math.sqrt(a.ntk().get(e / n, e / n) * a.ntk().get(e % n, e % n));
                double expectedT = c * a.ntk().data()[e];
                assertEquals(expectedT, b.ntk().data()[e], 1e-7 * (Math.abs(expectedT) + scaleT) + 1e-300, "ntk " + net);
            }
        });
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        SplittableRandom rnd = new SplittableRandom(7);
        Network net = Network.parse("Dense(1.5, 0.05) Relu Dense(1, 0.1) Residual(Erf Dense(1, 0.1)) LayerNorm Dense(1, 0)", registry);
        Matrix x = Matrix.of(RandomCases.inputs(rnd, 200, 9));
        KernelResult one = new KernelComputer(net, 1).compute(x, null);
        KernelResult three = new KernelComputer(net, 3).compute(x, null);
        assertArrayEquals(one.nngp().data(), three.nngp().data(), 0.0);
        assertArrayEquals(one.ntk().data(), three.ntk().data(), 0.0);
    }

    @Test
    void rejectsBadInputs() {
        Network net = Network.parse("Dense Relu Dense", registry);
        UserErrorException width = assertThrows(UserErrorException.class,
                () -> net.kernels(Matrix.of(new double[][] {{1, 2}}), Matrix.of(new double[][] {{1, 2, 3}})));
        assertTrue(width.getMessage().contains("X1 has 2 columns but X2 has 3"));
        UserErrorException nan = assertThrows(UserErrorException.class,
                () -> net.kernels(Matrix.of(new double[][] {{1, 2}, {3, Double.NaN}}), null));
        assertTrue(nan.getMessage().contains("X1 row 2 column 2 is NaN"), nan.getMessage());
        assertThrows(UserErrorException.class, () -> net.kernels(Matrix.zeros(0, 3), null));
    }

    /**
     * True when D^-1/2 K D^-1/2 + delta I is positive definite, i.e. the smallest eigenvalue of
     * the correlation matrix (over rows of non-zero variance; rows of zero variance are zero by
     * Cauchy-Schwarz) is above -delta. Decided by a Cholesky factorisation, which always
     * terminates; the correlation matrix is far better conditioned than K when norms span many
     * orders of magnitude.
     */
    private static boolean correlationIsPsd(Matrix m, double delta) {
        int[] keep = java.util.stream.IntStream.range(0, m.rows()).filter(i -> m.get(i, i) > 0).toArray();
        int n = keep.length;
        double[][] c = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                c[a][b] = m.get(keep[a], keep[b]) / Math.sqrt(m.get(keep[a], keep[a]) * m.get(keep[b], keep[b]));
            }
            c[a][a] += delta;
        }
        for (int j = 0; j < n; j++) {
            double pivot = c[j][j];
            for (int k = 0; k < j; k++) {
                pivot -= c[j][k] * c[j][k];
            }
            if (!(pivot > 0)) {
                return false;
            }
            c[j][j] = Math.sqrt(pivot);
            for (int i = j + 1; i < n; i++) {
                double v = c[i][j];
                for (int k = 0; k < j; k++) {
                    v -= c[i][k] * c[j][k];
                }
                c[i][j] = v / c[j][j];
            }
        }
        return true;
    }

    private static void assertClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length);
        for (int e = 0; e < expected.length; e++) {
            double tol = rel * Math.max(1e-300, Math.abs(expected[e])) + 1e-300;
            if (Math.abs(expected[e] - actual[e]) > tol) {
                throw new AssertionError(what + " entry " + e + ": expected " + expected[e] + " got " + actual[e]);
            }
        }
    }
}
