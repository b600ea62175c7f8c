package org.aleph.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.scale.ClusterEngine;
import org.aleph.kernel.scale.ScaleProgress;
import org.aleph.kernel.scale.TiledRegression;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code --engine spark}: starts a Spark context on the given master ({@code local[2]},
 * {@code spark://host:port}, ...), ships Aleph's jars from the class path to the executors
 * (activation plug-ins included), runs {@link SparkRegression} and stops the context. A
 * {@code spark://} master is probed with a plain TCP connection first (3 s), so an unreachable
 * one is a user error within seconds instead of Spark's minutes of retries. The executors of a
 * real cluster are started with module {@code jdk.incubator.vector} (the fused tile product of
 * kernel-scale); in local mode they are the driver's JVM, which {@code ./aleph} starts with it.
 */
public final class SparkEngine implements ClusterEngine {

    static final int PROBE_MS = 3000;

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public TiledRegression.Result fitPredict(String master, Network network, ImageShape shape, TiledRegression.Settings settings,
                                             KernelKind kind, Matrix xTrain, Matrix y, Matrix xTest, DiagonalRegularizer reg,
                                             ScaleProgress progress) {
        probe(master);
        SparkConf conf = new SparkConf().setMaster(master).setAppName("aleph classify").set("spark.ui.enabled", "false")
                .set("spark.driver.maxResultSize", "0").set("spark.log.level", "WARN"); // as setLogLevel, from the start (Spark 3.5+)
        if (master.startsWith("local")) { // everything runs in this JVM: no service needs more than the loopback address
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        List<String> jars = alephJars();
        if (!master.startsWith("local") && !jars.isEmpty()) {
            conf.setJars(jars.toArray(new String[0]));
        }
        if (!master.startsWith("local")) { // the executors' tile products on the Vector API too (plain Java without it)
            String opts = conf.get("spark.executor.extraJavaOptions", "");
            if (!opts.contains("jdk.incubator.vector")) {
                conf.set("spark.executor.extraJavaOptions", (opts + " --add-modules jdk.incubator.vector").trim());
            }
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            SparkRegression.Result r = new SparkRegression(sc, network, shape, settings, progress).fitPredict(kind, xTrain, y, xTest, reg);
            return new TiledRegression.Result(r.mean(), r.solved().iterations(), r.solved().residual(), r.solved().rank(),
                    r.solved().regularizer(), (int) r.tiles(), 0, r.seconds(), null, false);
        }
    }

    /** Refuses a spark:// master that does not accept a TCP connection. */
    static void probe(String master) {
        if (master == null || master.isBlank()) {
            throw new UserErrorException("--master is empty; give local[2] or spark://host:port");
        }
        if (!master.startsWith("spark://")) {
            return;
        }
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI u = URI.create("spark://" + hostPort);
            if (u.getHost() == null || u.getPort() < 0) {
                throw new UserErrorException("--master " + master + " is not spark://host:port");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), u.getPort()), PROBE_MS);
                return;
            } catch (IOException e) {
                // try the next master of a list
            }
        }
        throw new UserErrorException(String.format(Locale.ROOT, "the Spark master %s cannot be reached (no connection within %d s); "
                + "check --master and that the master is running", master, PROBE_MS / 1000));
    }

    /** Aleph's jars (and the plug-ins') on the class path, for the executors of a real cluster. */
    static List<String> alephJars() {
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (entry.endsWith(".jar") && (name.startsWith("kernel-") || name.startsWith("hipparchus") || name.startsWith("ejml")
                    || name.startsWith("lapack") || name.startsWith("blas") || name.startsWith("arpack"))) {
                jars.add(entry);
            }
        }
        return jars;
    }
}
