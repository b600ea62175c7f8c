import java.util.Random;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;

/**
 * In-process throughput of the input Gram (through the public API: the network Dense(1,0) is
 * the Gram divided by d plus a copy, so its kernel time is the Gram's plus a pass over the
 * outputs). Run with the jars of kernel-cli/target/lib on the class path, choosing the backend
 * by system property: default (the best provider: bundled OpenBLAS), -Daleph.bundledBlas=false
 * (system OpenBLAS through netlib, if installed), -Daleph.pureJava=true (pure-Java tiles):
 *
 *   java -cp "kernel-cli/target/lib/*" tools/bench/GramThroughput.java 4000 784 3
 *   java -cp "kernel-cli/target/lib/*" tools/bench/GramThroughput.java 4000 784 3 "Dense(1.5,0.05) Relu ... Dense(1,0)"
 *
 * Prints the backend, the first call (including loading a native library) and the best of the
 * repeats, in seconds and GFLOP/s (n^2 d multiply-adds for X against itself, counted as 2 flops).
 */
public class GramThroughput {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        int repeat = Integer.parseInt(args[2]);
        double[] x = new double[n * d];
        Random r = new Random(0);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        Matrix m = Matrix.wrap(n, d, x);
        String spec = args.length > 3 ? args[3] : "Dense(1,0)";   // e.g. the benchmark's 4-layer Relu network
        KernelComputer k = new KernelComputer(Network.parse(spec), Runtime.getRuntime().availableProcessors());
        double best = Double.MAX_VALUE;
        double first = 0;
        for (int rep = 0; rep <= repeat; rep++) {
            long t0 = System.nanoTime();
            k.compute(m, null);
            double s = (System.nanoTime() - t0) * 1e-9;
            if (rep == 0) {
                first = s;
            } else {
                best = Math.min(best, s);
            }
        }
        System.out.printf("n=%d d=%d %s  %s: first %.3f s, best %.3f s (%.1f GFLOP/s over the whole matrix)%n",
                n, d, spec, KernelComputer.gramBackend(), first, best, 2.0 * n * n * d / best * 1e-9);
    }
}
