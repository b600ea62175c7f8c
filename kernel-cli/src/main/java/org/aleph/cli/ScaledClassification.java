package org.aleph.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.SpecException;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.scale.ClusterEngine;
import org.aleph.kernel.scale.TilePrecision;
import org.aleph.kernel.scale.TiledRegression;

/**
 * The tiled engine of {@code aleph classify} (kernel-scale, docs/scale.md): chooses between the
 * direct solve and the local tiled one ({@code --engine auto} takes the tiled one exactly when
 * the direct job would be refused for lack of heap), runs the tiled solve and reports its
 * iterations, residual, preconditioner rank and tiles in the text and JSON output.
 */
final class ScaledClassification {

    private final ScaleOptions options;
    private final Network network;
    private final ImageShape images;
    private final int workers;
    private final PrintWriter err;
    private final String why;
    private TiledRegression.Result result;

    private ScaledClassification(ScaleOptions options, Network network, ImageShape images, int workers, PrintWriter err,
                                 String why) {
        this.options = options;
        this.network = network;
        this.images = images;
        this.workers = workers;
        this.err = err;
        this.why = why;
    }

    /**
     * The tiled engine when it is asked for or needed, or null for the direct one (whose memory
     * check {@code directCheck} has then passed).
     *
     * @param directCheck throws a UserErrorException when the direct job does not fit the heap
     * @param time        the training time (the tiled engine offers t = infinity only)
     */
    static ScaledClassification choose(ScaleOptions options, Network network, ImageShape images, long n, long m, long d,
                                       int workers, double time, Runnable directCheck, PrintWriter err) {
        checkOptions(options);
        String why;
        switch (options.engine) {
            case direct:
                directCheck.run();
                return null;
            case local:
            case spark:
                why = "asked for with --engine " + options.engine;
                break;
            default:
                try {
                    directCheck.run();
                    return null;
                } catch (SpecException e) {
                    throw e;
                } catch (UserErrorException e) {
                    why = "the kernels do not fit the heap: " + e.getMessage();
                }
        }
        if (!Double.isInfinite(time)) {
            throw new UserErrorException("--time " + time + " needs the direct engine (the tiled solver gives t = inf only)"
                    + (options.engine == ScaleOptions.Engine.auto ? ", but " + why + "; use fewer training samples or a larger "
                    + "heap (ALEPH_JAVA_OPTS=-Xmx...)" : "; drop --engine " + options.engine + " or --time"));
        }
        requireHeap(options, n, m, d, workers);
        err.println("note: tiled engine (" + (options.engine == ScaleOptions.Engine.spark ? "spark" : "local") + "): " + why);
        err.flush();
        return new ScaledClassification(options, network, images, workers, err, why);
    }

    private static void checkOptions(ScaleOptions o) {
        if (!(o.solverTol > 0 && o.solverTol < 1)) {
            throw new UserErrorException("--solver-tol must be a number between 0 and 1 (exclusive), got " + o.solverTol);
        }
        if (o.rank < 0) {
            throw new UserErrorException("--rank must be at least 0, got " + o.rank);
        }
        if (o.tile < 16) {
            throw new UserErrorException("--tile must be at least 16, got " + o.tile);
        }
        TilePrecision.parse(o.tilePrecision);
    }

    /**
     * Refuses a tiled job whose in-heap part does not fit: the inputs, the preconditioner's
     * r x n factor (unless it lives off the heap), two rounds of its candidates' rows, the
     * solver's n x 16 vectors, three tile buffers and a block of test kernels.
     */
    private static void requireHeap(ScaleOptions o, long n, long m, long d, int workers) {
        long r = Math.min(o.rank, n);
        long tile = Math.min(o.tile, n);
        long bytes = 8 * (n + m) * d + TiledRegression.factorHeapBytes(n, r) + 2 * 8 * 64 * n + 8 * 8 * n * 16 + 3 * 8 * tile * tile + (160L << 20)
                + 16L * tile * tile * 2 + workers * (8L << 20);
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > 0.9 * max) {
            throw new UserErrorException(String.format(Locale.ROOT,
                    "the tiled solver needs about %.1f GiB of heap but the Java heap allows %.1f GiB; lower --rank (%d) or "
                            + "--tile (%d), or use a larger heap (ALEPH_JAVA_OPTS=-Xmx%dg ./aleph ...)",
                    bytes / 1073741824.0, max / 1073741824.0, o.rank, o.tile, (long) Math.ceil(bytes / 0.85 / 1073741824.0)));
        }
    }

    /** Solves on the tiles and returns the predictions; adds the stage seconds and a note. */
    Matrix run(Matrix xTrain, Matrix xTest, Matrix y, boolean ntk, double diagReg, Map<String, Double> seconds,
               List<String> notes) {
        TiledRegression.Settings settings = new TiledRegression.Settings(options.workFolder(), options.tile, options.rank,
                options.solverTol, TiledRegression.Settings.DEFAULT_MAX_ITERATIONS, options.keep, workers,
                TilePrecision.parse(options.tilePrecision));
        KernelKind kind = ntk ? KernelKind.NTK : KernelKind.NNGP;
        EtaProgress progress = new EtaProgress(err, options.solverTol);
        if (options.engine == ScaleOptions.Engine.spark) {
            ClusterEngine spark = ClusterEngine.find("spark").orElseThrow(() -> new UserErrorException(
                    "--engine spark needs kernel-spark on the class path: build it (mvn -pl kernel-spark install) so that "
                            + "./aleph finds kernel-spark/target/lib"));
            result = spark.fitPredict(options.master, network, images, settings, kind, xTrain, y, xTest,
                    DiagonalRegularizer.relative(diagReg), progress);
        } else {
            result = new TiledRegression(network, images, settings, LinearAlgebra.automatic(), progress)
                    .fitPredict(kind, xTrain, y, xTest, DiagonalRegularizer.relative(diagReg));
        }
        seconds.putAll(result.seconds());
        notes.add(String.format(Locale.ROOT, "tiled solve: %d conjugate-gradient iterations, relative residual %.3g (--solver-tol %s), "
                + "preconditioner rank %d, %d tiles computed and %d reused%s%s", result.iterations(), result.residual(),
                options.solverTol, result.rank(), result.tilesComputed(), result.tilesReused(),
                result.kept() ? ", kept in " + result.jobFolder() : "",
                options.engine == ScaleOptions.Engine.spark ? ", on Spark master " + options.master : ""));
        return result.mean();
    }

    /** The engine and, for the tiled one, the solver's figures, as JSON members. */
    static void json(JsonWriter w, ScaledClassification s) {
        w.name("engine").value(s == null ? "direct" : s.options.engine == ScaleOptions.Engine.spark ? "spark" : "local");
        if (s == null || s.result == null) {
            return;
        }
        TiledRegression.Result r = s.result;
        w.name("solver").beginObject();
        w.name("iterations").value(r.iterations());
        w.name("residual").value(r.residual());
        w.name("tolerance").value(s.options.solverTol);
        w.name("rank").value(r.rank());
        w.name("tile").value(s.options.tile);
        w.name("tile_precision").value(TilePrecision.parse(s.options.tilePrecision).label());
        w.name("regularizer_absolute").value(r.regularizer());
        w.name("tiles_computed").value(r.tilesComputed());
        w.name("tiles_reused").value(r.tilesReused());
        if (r.jobFolder() != null) {
            w.name("work_dir").value(r.jobFolder().toString());
        } else {
            w.name("master").value(s.options.master);
        }
        w.name("kept").value(r.kept());
        w.name("why").value(s.why);
        w.endObject();
    }

    /** One line for the text output. */
    void text(PrintWriter out) {
        if (result == null) {
            return;
        }
        out.printf(Locale.ROOT, "solver       tiled (" + options.engine + "): %d iterations, relative residual %.3g (tol %s), rank %d, tiles %d computed"
                        + " + %d reused%n", result.iterations(), result.residual(), options.solverTol, result.rank(),
                result.tilesComputed(), result.tilesReused());
    }
}
