package org.aleph.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.RegularizedCholesky;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cholesky factorisation + solve with 10 right-hand sides of NTK + 1e-4 mean(diag) I (as the
 * NumPy baseline's {@code solve_s}: the regularised copy, cho_factor, cho_solve), and the
 * symmetric eigendecomposition, for the native and pure-Java backends. {@code choleskySolve}
 * is the bare path ({@code aleph bench} times the same); {@code regularizedSolve} is what
 * {@code aleph predict} runs: {@link RegularizedCholesky} with its finiteness check and
 * condition estimate (dpocon), then the solve. Commands and figures: docs/dynamics.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx16g"})
public class LinearAlgebraBenchmark {

    @Param({"2000", "4000", "8000"})
    public int n;

    @Param({"native", "java"})
    public String backend;

    private double[] kernel;
    private double[] kernelWithoutRegularizer;
    private double[] rhs;
    private LinearAlgebra la;

    @Setup
    public void setUp() {
        la = backend.equals("native") ? LinearAlgebra.nativeLapack().orElseThrow() : LinearAlgebra.pureJava();
        SplittableRandom rnd = new SplittableRandom(1);
        double[] x = new double[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        kernel = new KernelComputer(Network.parse("Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)"))
                .compute(Matrix.wrap(n, 784, x), null).ntk().data();
        kernelWithoutRegularizer = kernel.clone();
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += kernel[i * n + i];
        }
        for (int i = 0; i < n; i++) {
            kernel[i * n + i] += 1e-4 * mean / n;
        }
        rhs = new double[10 * n];
        for (int i = 0; i < rhs.length; i++) {
            rhs[i] = rnd.nextGaussian();
        }
    }

    @Benchmark
    public double[] choleskySolve() {
        double[] a = kernel.clone();
        if (la.choleskyInPlace(a, n) != 0) {
            throw new IllegalStateException("not positive definite");
        }
        double[] b = rhs.clone();
        la.choleskySolveRows(a, n, b, 10);
        return b;
    }

    @Benchmark
    public Matrix regularizedSolve() {
        RegularizedCholesky f = RegularizedCholesky.factor(Matrix.wrap(n, n, kernelWithoutRegularizer),
                DiagonalRegularizer.relative(1e-4), la, "the NTK");
        return f.solve(Matrix.wrap(n, 10, rhs));
    }

    @Benchmark
    public double[] eigen() {
        return la.symmetricEigen(kernel.clone(), n);
    }
}
