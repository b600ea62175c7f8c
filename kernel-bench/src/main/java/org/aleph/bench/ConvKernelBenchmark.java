package org.aleph.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.aleph.kernel.ImageShape;
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
 * NNGP + NTK of convolutional networks on random images, X against itself on one thread, so
 * that the score divided by the number of entries n (n + 1) / 2 is the CPU time per entry:
 * {@code nt21} is the network neural-tangents' README times (21 x (3 x 3 SAME Conv, Relu),
 * GlobalAvgPool, Dense on 32 x 32 x 3; 258.55 ms per entry on more than 56 cores, about
 * 14 core-seconds), {@code fmnist} the Flatten CNN of the Fashion-MNIST benchmark on
 * 28 x 28 x 1 (a diagonal covariance per pair). {@code aleph bench --cnn} measures the same
 * as a whole process.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class ConvKernelBenchmark {

    @Param({"nt21", "fmnist"})
    public String network;

    /** Images; nt21 with 4 images is 10 entries, fmnist with 100 images 5050. */
    @Param({"4"})
    public int n;

    private Matrix x;
    private Network net;
    private ImageShape shape;

    @Setup
    public void setUp() {
        if (network.equals("nt21")) {
            net = Network.parse("Conv(1.4, 0.1, filter=3, padding=SAME) Relu ".repeat(21) + "GlobalAvgPool Dense(1, 0)");
            shape = new ImageShape(32, 32, 3);
        } else {
            net = Network.parse("Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu "
                    + "Flatten Dense(1,0)");
            shape = new ImageShape(28, 28, 1);
        }
        SplittableRandom rnd = new SplittableRandom(20261205);
        double[] data = new double[n * shape.features()];
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextGaussian();
        }
        x = Matrix.wrap(n, shape.features(), data);
    }

    @Benchmark
    public KernelResult kernels() {
        return new KernelComputer(net, 1).compute(x, null, shape);
    }
}
