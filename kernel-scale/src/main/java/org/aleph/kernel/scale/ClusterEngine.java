package org.aleph.kernel.scale;

import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.KernelKind;

/**
 * A distributed engine for the tiled regression, found with {@link java.util.ServiceLoader}
 * (kernel-spark provides "spark" on the class path), so that the command line names no
 * cluster framework and starts none unless asked.
 */
public interface ClusterEngine {

    /** The engine's name as given to {@code --engine}, e.g. "spark". */
    String name();

    /**
     * The same job as {@link TiledRegression#fitPredict} on the cluster at {@code master}.
     * {@link TiledRegression.Result#jobFolder()} is null (tiles live in the cluster's memory).
     *
     * @throws org.aleph.kernel.UserErrorException when the master cannot be reached (within seconds)
     */
    TiledRegression.Result fitPredict(String master, Network network, ImageShape shape, TiledRegression.Settings settings,
                                      KernelKind kind, Matrix xTrain, Matrix y, Matrix xTest, DiagonalRegularizer reg,
                                      ScaleProgress progress);

    /** The engine of the given name on the class or module path, if any. */
    static java.util.Optional<ClusterEngine> find(String name) {
        for (ClusterEngine e : java.util.ServiceLoader.load(ClusterEngine.class)) {
            if (e.name().equals(name)) {
                return java.util.Optional.of(e);
            }
        }
        return java.util.Optional.empty();
    }
}
