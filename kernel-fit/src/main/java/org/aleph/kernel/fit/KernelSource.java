package org.aleph.kernel.fit;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * The NNGP train-train kernels (packed upper triangle) of the networks of one
 * {@link HyperparameterSpace} on one data set, for {@link MarginalLikelihood}. Fully connected
 * networks go through {@link NngpRecursion} from an input Gram computed once (one pass over the
 * n (n + 1) / 2 entries per kernel), with the exact tangents of {@link TangentRecursion} when
 * asked; every other spec the kernel computer takes (Conv, pooling, Flatten, FanOut ... FanIn,
 * Repeat, Dropout; images with their {@link ImageShape}) is evaluated whole by kernel-api's
 * {@code KernelComputer} ({@link SpecKernels}). Counts the kernels it computes.
 */
final class KernelSource {

    private final NngpRecursion recursion;
    private final TangentRecursion tangents;
    private final KernelState input;
    private final Matrix x;
    private final ImageShape shape;
    private final boolean generic;
    private final int threads;
    private final int n;
    private volatile boolean genericChecked;
    private final AtomicLong evaluations = new AtomicLong();

    /**
     * @param template     the space's network (decides between the recursion and the kernel computer)
     * @param x            training inputs, n x d (images of {@code shape} in NHWC order when it is given)
     * @param shape        the inputs' image shape, or null
     * @param la           the linear algebra of the input Gram
     * @param pool         threads sharing each layer of the recursion (null: the caller's thread)
     * @param threads      the number of those threads, also the kernel computer's workers
     * @param forceGeneric evaluate even a fully connected network with the kernel computer (tests)
     */
    KernelSource(Network template, Matrix x, ImageShape shape, LinearAlgebra la, ExecutorService pool, int threads, boolean forceGeneric) {
        this.x = x;
        this.shape = shape;
        this.n = x.rows();
        this.threads = Math.max(1, threads);
        this.generic = forceGeneric || !NngpRecursion.computes(template);
        PairLayout.Builder b = PairLayout.over(n);
        b.symmetric(0, n);
        PairLayout layout = b.build();
        this.recursion = new NngpRecursion(layout, pool, threads);
        this.tangents = new TangentRecursion(recursion);
        this.input = generic ? null : layout.inputGram(x, la);
    }

    /** The largest relative error the activations of these layers promise (their provenance), at least 1e-16. */
    static double worstAccuracy(List<Layer> layers) {
        double worst = 1e-16;
        for (Layer l : layers) {
            worst = Math.max(worst, switch (l.kind()) {
                case NONLINEARITY -> ((Layer.Nonlinearity) l).activation().provenance().relativeAccuracy();
                case RESIDUAL -> worstAccuracy(((Layer.Residual) l).branch());
                case DENSE, LAYER_NORM, CONV, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, DROPOUT -> 0.0;
                case BRANCHES -> ((Layer.Branches) l).branches().stream().mapToDouble(KernelSource::worstAccuracy).max().orElse(0);
                case REPEAT -> worstAccuracy(((Layer.Repeat) l).body());
            });
        }
        return worst;
    }

    /** Whether the kernels come from the kernel computer. */
    boolean generic() {
        return generic;
    }

    /** The entries' layout (one symmetric block of n points). */
    PairLayout layout() {
        return recursion.layout();
    }

    /** How many kernels have been computed (a pass with tangents counts as one). */
    long evaluations() {
        return evaluations.get();
    }

    /** The NNGP train-train entries (packed upper triangle) of a network. */
    double[] kernel(Network network) {
        if (generic) {
            return genericKernel(network);
        }
        KernelState s = input.copy();
        recursion.apply(s, network);
        evaluations.incrementAndGet();
        return s.entries();
    }

    /**
     * The kernel of a fully connected network with its exact derivatives in the directions, or
     * null when an activation declined its variance derivatives at some entry.
     */
    TangentRecursion.Result withTangents(Network network, List<TangentRecursion.Direction> directions) {
        evaluations.incrementAndGet();
        return tangents.apply(input, network, directions);
    }

    /**
     * The kernel computer's NNGP, packed. Its mistakes (a layer that does not fit the image, images
     * missing) surface at the first kernel; later an overflow at extreme hyperparameters gives a
     * kernel of NaN, which the factorisation refuses (L = -infinity), as the recursion's does.
     */
    private double[] genericKernel(Network network) {
        double[] dense;
        try {
            dense = SpecKernels.nngp(network, x, null, shape, threads);
        } catch (UserErrorException e) {
            if (!genericChecked) {
                throw e;
            }
            double[] nan = new double[n * (n + 1) / 2];
            java.util.Arrays.fill(nan, Double.NaN);
            evaluations.incrementAndGet();
            return nan;
        }
        genericChecked = true;
        evaluations.incrementAndGet();
        return SpecKernels.packUpper(dense, n);
    }
}
