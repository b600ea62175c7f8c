package org.aleph.kernel.dynamics;

import java.util.Locale;
import java.util.Random;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;

/**
 * Timing harness (not a unit test; run by hand, see docs/dynamics.md): for each n, the kernels
 * of the peer benchmark's network on random X (n x 784), then the Cholesky of Theta + 1e-4 mean
 * diag with 10 right-hand sides (what ../shared/peers/numpy_fc_kernel.py times as solve_s),
 * the NTK posterior on m test points (mean + variances), the eigendecomposition, and the MSE
 * ensemble at 5 times (mean + variances).
 *
 * <p>Arguments: {@code native|java[-chol|-eigh] m n1 n2 ...}; the {@code -chol} suffix skips the
 * eigendecomposition and the ensemble, {@code -eigh} only the ensemble (for n = 10 000 on a busy
 * machine).
 */
public final class DynamicsTiming {

    private DynamicsTiming() {
    }

    public static void main(String[] args) {
        boolean cholOnly = args[0].endsWith("-chol");
        boolean noEnsemble = cholOnly || args[0].endsWith("-eigh");
        LinearAlgebra la = args[0].startsWith("java") ? LinearAlgebra.pureJava() : LinearAlgebra.nativeLapack().orElseThrow();
        int m = Integer.parseInt(args[1]);
        System.out.println("backend: " + la.name() + ", cores: " + Runtime.getRuntime().availableProcessors());
        Network net = Network.parse("Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)");
        for (int a = 2; a < args.length; a++) {
            int n = Integer.parseInt(args[a]);
            Random r = new Random(n);
            Matrix x = Fixtures.gaussian(r, n, 784);
            Matrix xt = Fixtures.gaussian(r, m, 784);
            Matrix y = Fixtures.gaussian(r, n, 10);
            KernelComputer kc = new KernelComputer(net);
            long t0 = System.nanoTime();
            KernelResult dd = kc.compute(x, null);
            long t1 = System.nanoTime();
            KernelResult td = kc.compute(xt, x);
            KernelPair trainTrain = KernelPair.of(dd);
            KernelPair testTrain = KernelPair.of(td);
            KernelPair testDiag = KernelPair.diagonals(td.var1(), null);

            long c0 = System.nanoTime();
            RegularizedCholesky chol = RegularizedCholesky.factor(trainTrain.ntk(), DiagonalRegularizer.relative(1e-4), la,
                    "the NTK train-train kernel");
            Matrix alpha = chol.solve(y);
            long c1 = System.nanoTime();
            double res = residual(trainTrain.ntk(), chol.usedRegularizer(), alpha, y);

            GpInference gp = new GpInference(trainTrain, y, DiagonalRegularizer.relative(1e-4), la);
            gp.factorization(KernelKind.NTK);
            long p0 = System.nanoTime();
            gp.predict(PosteriorKind.NTK, testTrain, testDiag, Uncertainty.VARIANCE);
            long p1 = System.nanoTime();

            long e0 = 0;
            long e1 = 0;
            long d0 = 0;
            long d1 = 0;
            if (!cholOnly) {
                double[] copy = trainTrain.ntk().data().clone();
                e0 = System.nanoTime();
                la.symmetricEigen(copy, n);
                e1 = System.nanoTime();
                copy = null;
            }
            if (!noEnsemble) {
                MseEnsemble ens = new MseEnsemble(trainTrain, y, 1.0, DiagonalRegularizer.relative(1e-4), la);
                d0 = System.nanoTime();
                ens.predictTest(KernelKind.NTK, new double[] {1, 10, 100, 1000, 10000}, testTrain, testDiag,
                        Uncertainty.VARIANCE);
                d1 = System.nanoTime();
            }
            System.out.printf(Locale.ROOT, "n=%d m=%d kernel_s=%.2f chol+solve10_s=%.3f (cond %.2e, residual %.1e) "
                    + "ntk_posterior_mean_var_s=%.2f eigh_s=%.2f ensemble_5_times_mean_var_s=%.2f%n", n, m,
                    (t1 - t0) / 1e9, (c1 - c0) / 1e9, chol.conditionNumber(), res, (p1 - p0) / 1e9, (e1 - e0) / 1e9,
                    (d1 - d0) / 1e9);
        }
    }

    private static double residual(Matrix k, double reg, Matrix x, Matrix y) {
        int n = k.rows();
        int c = y.cols();
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                double s = reg * x.get(i, j);
                for (int q = 0; q < n; q++) {
                    s += k.get(i, q) * x.get(q, j);
                }
                max = Math.max(max, Math.abs(s - y.get(i, j)));
            }
        }
        return max;
    }
}
