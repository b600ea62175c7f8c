package org.aleph.kernel;

/**
 * Gets the recursion's loops compiled while the input Gram is computed, so that a fresh JVM
 * runs the kernel tiles in optimised code from the first tile on.
 *
 * <p>A new process runs each pass of {@link TileRecursion} (the Dense affine maps, the
 * nonlinearity's pairs, the activation's expectations) first in the interpreter, then in C1
 * code that records profiles, until C2 has compiled it. On 64 x 64 tiles that phase took
 * about 0.2-0.3 s of the 0.6 s recursion of a 4000-point kernel (docs/performance.md,
 * "Fourth round"), while C2 sat idle during the BLAS Gram before it. This daemon thread runs the same
 * recursion, with the same network, on an 8 x 8 tile of the caller's own inputs, over and
 * over, from the moment the Gram starts until it ends (or a bounded number of calls): the
 * profiles and the compilations then happen beside the Gram, on tiles of a hundred entries.
 *
 * <p>The warm-up computes nothing the caller keeps: it has its own workspace, reads only the
 * inputs, and discards its results and any exception (the real tiles meet the same values
 * and report them). Java's floating point gives the same bits in every tier, so the kernels
 * do not depend on whether it ran.
 */
final class RecursionWarmUp {

    /** Side of the warm-up tile. */
    static final int SIDE = 8;
    /**
     * Kernels of at least this many entries start a warm-up (n = 2897 points against themselves).
     * Below, the Gram is too short for C2 to finish in its shadow: at n = 2000 the warm-up
     * only moved CPU time from the recursion to the Gram, at n = 3000 it gained 0.06 s and at
     * n = 4000 0.3 s of the whole process (docs/performance.md, "Fourth round").
     */
    static final long MIN_ENTRIES = 1L << 23;
    /** At most this many tile calls: far past the call and loop counts at which HotSpot's C2 compiles. */
    static final int MAX_CALLS = 4000;

    /**
     * The activation classes (and TileRecursion itself, for networks without one) whose recursion
     * has run on a kernel of {@link #MIN_ENTRIES} entries in this JVM: its passes are compiled, and
     * a later computation (a server's next run, classify's test kernel, bench's repetitions)
     * starts no warm-up that would only compete with the Gram.
     */
    private static final java.util.Set<Class<?>> COMPILED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private volatile boolean stopped;

    private RecursionWarmUp() {
    }

    /** Whether a computation with these layers would still run code that no large computation of this JVM has run. */
    static boolean needed(java.util.List<Layer> layers) {
        return !COMPILED.containsAll(classes(layers, new java.util.HashSet<>()));
    }

    /** Records that a computation with these layers ran on a kernel of at least {@link #MIN_ENTRIES} entries. */
    static void compiled(java.util.List<Layer> layers) {
        COMPILED.addAll(classes(layers, new java.util.HashSet<>()));
    }

    /** Forgets what {@link #compiled} recorded (tests that need the warm-up to run). */
    static void forget() {
        COMPILED.clear();
    }

    private static java.util.Set<Class<?>> classes(java.util.List<Layer> layers, java.util.Set<Class<?>> into) {
        into.add(TileRecursion.class);
        for (Layer l : layers) {
            switch (l.kind()) {
                case NONLINEARITY -> into.add(((Layer.Nonlinearity) l).activation().getClass());
                case RESIDUAL -> classes(((Layer.Residual) l).branch(), into);
                case BRANCHES -> ((Layer.Branches) l).branches().forEach(b -> classes(b, into));
                case REPEAT -> classes(((Layer.Repeat) l).body(), into);
                case DENSE, LAYER_NORM, CONV, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, DROPOUT -> { }
            }
        }
        return into;
    }

    /** {@link #MIN_ENTRIES}, or no warm-up at all when the system property {@code aleph.noWarmUp} is true (for measurements). */
    static long minEntries() {
        return Boolean.getBoolean("aleph.noWarmUp") ? Long.MAX_VALUE : MIN_ENTRIES;
    }

    /**
     * Starts a warm-up of the recursion on rows [0, 8) of x1 against a block of x2 (x1 when x2
     * is null), or returns null when the machine has a single core.
     */
    static RecursionWarmUp start(TileRecursion recursion, double[] x1, int n1, double[] x2, int n2, int d) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return null;
        }
        boolean symmetric = x2 == null;
        double[] b = symmetric ? x1 : x2;
        int tr = Math.min(SIDE, n1);
        int j0 = symmetric && n2 >= 2 * SIDE ? SIDE : 0; // an off-diagonal block when there is one
        int tc = Math.min(SIDE, n2 - j0);
        RecursionWarmUp warmUp = new RecursionWarmUp();
        Thread thread = new Thread(() -> warmUp.run(recursion, x1, b, d, tr, j0, tc, symmetric && j0 == 0),
                "aleph-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return warmUp;
    }

    /** Ends the warm-up after its current tile call; does not wait for it. */
    void stop() {
        stopped = true;
    }

    private void run(TileRecursion recursion, double[] x1, double[] x2, int d, int tr, int j0, int tc, boolean diagonal) {
        try {
            double[] gram = new double[tr * tc];
            InputGram.tile(x1, x2, d, 0, tr, j0, tc, gram);
            double[] qRows = InputGram.squaredNorms(x1, tr, d);
            double[] qCols = InputGram.squaredNorms(java.util.Arrays.copyOfRange(x2, j0 * d, (j0 + tc) * d), tc, d);
            TileRecursion.Workspace ws = recursion.workspace(tr, tc);
            for (int call = 0; call < MAX_CALLS && !stopped; call++) {
                ws.load(gram, qRows, 0, tr, qCols, 0, tc);
                ws.sameInputs = diagonal;
                recursion.run(ws);
            }
        } catch (Throwable ignored) {
            // nothing is kept from a warm-up: the real tiles meet the same values and report them
        }
    }
}
