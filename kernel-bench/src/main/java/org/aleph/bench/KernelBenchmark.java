package org.aleph.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
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
 * NNGP + NTK of the issue-7 benchmark network {@code Dense(1.5,0.05) ACT Dense(1.5,0.05) ACT
 * Dense(1.5,0.05) ACT Dense(1,0)} on n random inputs of dimension 784, X against itself, on
 * all cores. Compare activations by the ratio to Relu within one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx16g"})
public class KernelBenchmark {

    @Param({"2000", "4000", "8000"})
    public int n;

    @Param({"Relu", "Erf", "Gelu", "Tanh", "Expr(\"Max(0,x)\")"})
    public String activation;

    private Matrix x;
    private Network network;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(20261128);
        double[] data = new double[n * 784];
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextGaussian();
        }
        x = Matrix.wrap(n, 784, data);
        network = Network.parse(String.format("Dense(1.5,0.05) %1$s Dense(1.5,0.05) %1$s Dense(1.5,0.05) %1$s Dense(1,0)", activation));
    }

    @Benchmark
    public KernelResult kernels() {
        return new KernelComputer(network).compute(x, null);
    }
}
