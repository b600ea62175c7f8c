package org.aleph.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;
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
 * One call of {@link Activation#expectations} on a block of 4224 triples (a 64 x 64 tile with
 * its variances), single-threaded: the hand-written built-ins against the same functions
 * derived by kernel-cas (issue 3 asks the compiled closed form to be within 3x of the built-in).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ActivationBlockBenchmark {

    private static final int BLOCK = 64 * 64 + 128;

    @Param({"Relu", "Expr(\"Max(0,x)\")", "Erf", "Expr(\"Erf(x)\")", "Gelu", "Tanh"})
    public String activation;

    private Activation act;
    private final double[] q11 = new double[BLOCK];
    private final double[] q12 = new double[BLOCK];
    private final double[] q22 = new double[BLOCK];
    private final double[] k = new double[BLOCK];
    private final double[] dk = new double[BLOCK];

    @Setup
    public void setUp() {
        act = ((org.aleph.kernel.Layer.Nonlinearity) org.aleph.kernel.Network.parse("Dense " + activation + " Dense")
                .layers().get(1)).activation();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < BLOCK; i++) {
            q11[i] = 0.5 + rnd.nextDouble();
            q22[i] = 0.5 + rnd.nextDouble();
            q12[i] = (2 * rnd.nextDouble() - 1) * Math.sqrt(q11[i] * q22[i]);
        }
        ActivationRegistry.defaultRegistry();
    }

    @Benchmark
    public double[] block() {
        act.expectations(q11, q12, q22, BLOCK, k, dk);
        return k;
    }
}
