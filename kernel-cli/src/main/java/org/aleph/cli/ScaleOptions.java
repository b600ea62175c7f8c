package org.aleph.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of {@code aleph classify} that choose and steer the tiled solver of kernel-scale
 * (docs/scale.md): the engine, the work folder of the tiles, the residual tolerance and the
 * preconditioner's rank. A picocli mixin, so the command itself only holds one field.
 */
final class ScaleOptions {

    /** How the regression is solved. */
    enum Engine {
        /** direct when the kernels fit in the heap, local otherwise */
        auto,
        /** the kernels in arrays, Cholesky (kernel-dynamics) */
        direct,
        /** the train-train kernel as tiles on disk, preconditioned conjugate gradients (kernel-scale) */
        local,
        /** the same solver with the tiles cached on an Apache Spark cluster (kernel-spark, class path) */
        spark
    }

    @Option(names = "--engine", defaultValue = "auto", paramLabel = "ENGINE",
            description = "direct (kernels in the heap, Cholesky), local (kernel tiles on disk, preconditioned conjugate gradients), "
                    + "or auto (default: local when the kernels do not fit the heap), or spark (tiles on a Spark cluster, see --master). "
                    + "Allowed: ${COMPLETION-CANDIDATES}.")
    Engine engine;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Folder for the kernel tiles of the local engine (default: aleph-work in the temporary folder); "
                    + "deleted afterwards unless --keep, kept after a failure so a rerun resumes.")
    Path workDir;

    @Option(names = "--master", defaultValue = "local[*]", paramLabel = "URL",
            description = "Spark engine: the master, e.g. local[2] or spark://host:7077 (default ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--keep", description = "Keep the kernel tiles of the local engine (a rerun of the same job reuses them).")
    boolean keep;

    @Option(names = "--solver-tol", defaultValue = "1e-5", paramLabel = "TOL",
            description = "Local engine: stop when every target's relative residual |y - (K + r) a| / |y| is at most TOL "
                    + "(default ${DEFAULT-VALUE}).")
    double solverTol;

    @Option(names = "--rank", defaultValue = "3000", paramLabel = "R",
            description = "Local engine: rank of the pivoted Cholesky (Nystrom) preconditioner (default ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--tile", defaultValue = "2000", paramLabel = "B",
            description = "Local engine: training points per row block, tiles of B x B (default ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--tile-precision", defaultValue = "float32", paramLabel = "P",
            description = "Local engine: how the kernel tiles are stored, float32 (default: half the bytes, the same labels, "
                    + "docs/scale.md) or float64; products accumulate in float64 either way.")
    String tilePrecision = "float32";

    /** The work folder given or the default one. */
    Path workFolder() {
        return workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"), "aleph-work");
    }
}
