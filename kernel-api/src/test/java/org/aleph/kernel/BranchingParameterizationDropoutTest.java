package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two features of issue 17 together (merge of branching with the standard parameterisation,
 * Dropout and LayerNorm(eps)): the declared width through joins, Dropout inside branches, and
 * LayerNorm(eps) inside branches, against closed forms written here from the kernel maps of
 * docs/layers.md and docs/parameterization.md.
 */
class BranchingParameterizationDropoutTest {

    private final ActivationRegistry registry = TestActivations.registry();

    private Network net(String spec) {
        return Network.parse(spec, registry);
    }

    /**
     * {@code Dense(1, 0, width=3) FanOut(2) Parallel(Dense(2, 0, width=5); Dense(1, 0.3, width=7)) FanInConcat
     * Dense(1.5, 0.5, standard)}: with {@code K0 = x.x'/d}, the branches have {@code K_a = 4 K0, T_a = 8 K0} and
     * {@code K_b = K0 + 0.09, T_b = 2 K0 + 0.09}; the concatenation their means; the standard layer reads
     * {@code N_in = 5 + 7 = 12}: {@code T = 12 K_c + 2.25 T_c + 1}, {@code K = 2.25 K_c + 0.25}.
     */
    @Test
    void aStandardDenseAfterFanInConcatReadsTheSumOfTheBranchesWidths() {
        Matrix x = random(new SplittableRandom(5), 4, 3);
        KernelResult r = net("Dense(1, 0, width=3) FanOut(2) Parallel(Dense(2, 0, width=5); Dense(1, 0.3, width=7)) FanInConcat "
                + "Dense(1.5, 0.5, parameterization=standard)").kernels(x, null);
        int n = x.rows();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double k0 = dot(x.row(i), x.row(j)) / x.cols();
                double kc = (4 * k0 + k0 + 0.09) / 2;
                double tc = (8 * k0 + 2 * k0 + 0.09) / 2;
                assertEquals(2.25 * kc + 0.25, r.nngp().get(i, j), 1e-12);
                assertEquals(12 * kc + 2.25 * tc + 1, r.ntk().get(i, j), 1e-12, "entry " + i + ", " + j);
            }
        }
        // the same network on 1x1 images (Conv per pixel, GlobalAvgPool) reads the same width
        ImageShape shape = new ImageShape(1, 1, 3);
        KernelResult conv = net("Conv(1, 0, filter=1, width=3) FanOut(2) Parallel(Conv(2, 0, filter=1, width=5); "
                + "Conv(1, 0.3, filter=1, width=7)) FanInConcat GlobalAvgPool Dense(1.5, 0.5, parameterization=standard)")
                .kernels(x, null, shape);
        assertArrayEquals(r.ntk().data(), conv.ntk().data(), 1e-12);
    }

    @Test
    void sumsKeepTheCommonWidthAndRefuseDifferentOnesWithTheColumn() {
        Matrix x = random(new SplittableRandom(6), 3, 2);
        // equal declared widths (and an undeclared branch) give the common width: 5
        KernelResult sum = net("Dense(1, 0, width=5) FanOut(2) Parallel(Identity; Relu Dense(1, 0)) FanInSum "
                + "Dense(1, 0, parameterization=standard)").kernels(x, null);
        KernelResult sumNtk = net("Dense(1, 0, width=5) FanOut(2) Parallel(Identity; Relu Dense(1, 0)) FanInSum Dense(1, 0)")
                .kernels(x, null);
        // standard T = 5 K + T_sum, NTK-parameterised T = K + T_sum (W_std = 1, no bias): the difference is 4 K
        for (int e = 0; e < x.rows() * x.rows(); e++) {
            assertEquals(4 * sum.nngp().data()[e], sum.ntk().data()[e] - sumNtk.ntk().data()[e], 1e-12);
        }
        SpecException differ = assertThrows(SpecException.class, () -> net(
                "Dense(1, 0, width=4) FanOut(2) Parallel(Dense(1, 0, width=5); Dense(1, 0, width=7)) FanInSum "
                        + "Dense(1, 0, parameterization=standard)"));
        assertEquals(94, differ.column(), differ.getMessage());
        assertTrue(differ.getMessage().contains("different declared widths, 5 and 7")
                && differ.getMessage().contains("FanInSum at column 22"), differ.getMessage());
        SpecException none = assertThrows(SpecException.class, () -> net(
                "Dense(1, 0, width=4) FanOut(2) Parallel(Dense; Dense) FanInProd Dense(1, 0, parameterization=standard)"));
        assertTrue(none.getMessage().contains("have no declared width"), none.getMessage());
        SpecException concat = assertThrows(SpecException.class, () -> net(
                "Dense(1, 0, width=4) FanOut(2) Parallel(Dense(1, 0, width=5); Dense) FanInConcat Dense(1, 0, parameterization=standard)"));
        assertTrue(concat.getMessage().contains("branch 2 has no declared width"), concat.getMessage());
        // Repeat reads as its unrolled body: a concatenation with the identity doubles the width each time
        KernelResult rep = net("Dense(1, 0, width=3) Repeat(2, FanOut(2) FanInConcat) Dense(1, 0, parameterization=standard)")
                .kernels(x, null);
        KernelResult once = net("Dense(1, 0, width=12) Dense(1, 0, parameterization=standard)").kernels(x, null);
        assertArrayEquals(once.ntk().data(), rep.ntk().data(), 1e-12);
    }

    /**
     * {@code Dense(1, 0) FanOut(2) Parallel(Dropout(0.5) Dense(1, 0); Identity) FanInSum Dense(1, 0)} on X against
     * itself: the Dropout stream passes fresh weights, so it is independent of the identity (cross terms 0); it
     * doubles the entries of an input with itself. Off the diagonal {@code K = 2 K0, T = 5 K0}; on it
     * {@code K = 3 K0, T = 8 K0}; against a copy of X every entry follows the off-diagonal rule.
     */
    @Test
    void dropoutInsideABranchFollowedByDenseIsExact() {
        Matrix x = random(new SplittableRandom(7), 4, 3);
        Network n = net("Dense(1, 0) FanOut(2) Parallel(Dropout(0.5) Dense(1, 0); Identity) FanInSum Dense(1, 0)");
        KernelResult self = n.kernels(x, null);
        KernelResult copy = n.kernels(x, Matrix.of(rows(x)));
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.rows(); j++) {
                double k0 = dot(x.row(i), x.row(j)) / x.cols();
                assertEquals(i == j ? 3 * k0 : 2 * k0, self.nngp().get(i, j), 1e-13);
                assertEquals(i == j ? 8 * k0 : 5 * k0, self.ntk().get(i, j), 1e-13);
                assertEquals(2 * k0, copy.nngp().get(i, j), 1e-13);
                assertEquals(5 * k0, copy.ntk().get(i, j), 1e-13);
            }
            assertEquals(3 * dot(x.row(i), x.row(i)) / x.cols(), self.var1()[i], 1e-13);
        }
        // the same inside a Residual branch and on 1x1 images (per-pixel masks)
        KernelResult residual = net("Dense(1, 0) Residual(Dropout(0.5) Dense(1, 0)) Dense(1, 0)").kernels(x, null);
        assertArrayEquals(self.ntk().data(), residual.ntk().data(), 0.0);
        KernelResult image = net("Conv(1, 0, filter=1) FanOut(2) Parallel(Dropout(0.5) Conv(1, 0, filter=1); Identity) FanInSum "
                + "GlobalAvgPool Dense(1, 0)").kernels(x, null, new ImageShape(1, 1, 3));
        assertArrayEquals(self.ntk().data(), image.ntk().data(), 1e-13);
        assertArrayEquals(self.nngp().data(), image.nngp().data(), 1e-13);
    }

    @Test
    void dropoutJoinedWithoutFreshWeightsIsRefusedWithTheColumn() {
        String[][] cases = {
            {"Dense Residual(Dropout(0.2)) Dense", "7"},
            {"Dense FanOut(2) Parallel(Dropout(0.2); Identity) FanInSum Dense", "7"},
            {"Dense FanOut(2) Parallel(Dropout(0.2); Dropout(0.2)) FanInSum Dense", "7"},
            {"Dense FanOut(2) Parallel(Relu Dropout(0.1); Identity) FanInSum Dense", "7"},
        };
        for (String[] c : cases) {
            SpecException e = assertThrows(SpecException.class, () -> net(c[0]), c[0]);
            assertEquals(Integer.parseInt(c[1]), e.column(), c[0] + " -> " + e.getMessage());
            assertTrue(e.getMessage().contains("Dropout without fresh weights after it"), e.getMessage());
        }
        SpecException prod = assertThrows(SpecException.class, () -> net("Dense FanOut(2) Parallel(Dropout(0.2); Identity) FanInProd Dense"));
        assertEquals(7, prod.column(), prod.getMessage());
        // fresh weights after (or before) the Dropout in its branch make the stream independent: accepted
        net("Dense FanOut(2) Parallel(Dense Dropout(0.1); Dropout(0.3) LayerNorm) FanInSum Dense");
        // Dropout of a stream before the FanOut is shared by every stream: two equal streams, exact (4 K)
        Matrix x = random(new SplittableRandom(8), 3, 2);
        KernelResult shared = net("Dense Dropout(0.5) FanOut(2) FanInSum").kernels(x, null);
        KernelResult one = net("Dense Dropout(0.5)").kernels(x, null);
        for (int e = 0; e < 9; e++) {
            assertEquals(4 * one.nngp().data()[e], shared.nngp().data()[e], 1e-14);
        }
        // Dropout on the raw data inside a branch is refused like on the input
        SpecException raw = assertThrows(SpecException.class, () -> net("FanOut(2) Parallel(Dropout(0.2) Dense; Dense) FanInSum Dense"));
        assertEquals(20, raw.column(), raw.getMessage());
        // an activation after Dropout inside a branch names Dropout
        SpecException act = assertThrows(SpecException.class, () -> net("Dense FanOut(2) Parallel(Dropout(0.2) Relu Dense; Dense) FanInSum"));
        assertTrue(act.getMessage().contains("the output of Dropout"), act.getMessage());
    }

    /** LayerNorm(eps) inside a branch: the branch of {@code x + LayerNorm(eps)(Dense(x))} equals its closed form. */
    @Test
    void layerNormWithEpsInsideABranch() {
        Matrix x = random(new SplittableRandom(9), 3, 4);
        double eps = 0.3;
        KernelResult r = net("Dense(1, 0) Residual(Dense(1, 0) LayerNorm(eps=0.3))").kernels(x, null);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double k = dot(x.row(i), x.row(j)) / 4;
                double qi = dot(x.row(i), x.row(i)) / 4;
                double qj = dot(x.row(j), x.row(j)) / 4;
                double s = Math.sqrt((eps + qi) * (eps + qj));
                assertEquals(k + k / s, r.nngp().get(i, j), 1e-13);
                assertEquals(k + 2 * k / s, r.ntk().get(i, j), 1e-13); // T0 = K0; the branch's T = (K0 + T0) / s
            }
        }
    }

    private static double[][] rows(Matrix x) {
        double[][] out = new double[x.rows()][];
        for (int i = 0; i < x.rows(); i++) {
            out[i] = x.row(i).clone();
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static Matrix random(SplittableRandom rnd, int n, int d) {
        double[][] rows = new double[n][d];
        for (double[] row : rows) {
            for (int i = 0; i < d; i++) {
                row[i] = rnd.nextGaussian();
            }
        }
        return Matrix.of(rows);
    }
}
