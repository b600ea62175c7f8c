package org.aleph.kernel.finite;

import static org.aleph.kernel.finite.ParameterizationMonteCarloTest.WIDTH;
import static org.aleph.kernel.finite.ParameterizationMonteCarloTest.maxZ;
import static org.aleph.kernel.finite.ParameterizationMonteCarloTest.report;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * Branching together with Dropout and the standard parameterisation (the merge of issue 17's two
 * halves): finite networks of width 2048 built from the same spec, means over networks and masks
 * within 4 standard errors of kernel-api's analytic kernels.
 */
class BranchDropoutMonteCarloTest {

    /**
     * Dropout inside a Parallel branch followed by Dense, summed with the identity: the Dropout stream
     * passes fresh weights, so it is independent of the identity stream; its entries of an input with
     * itself are scaled by 1/keep inside the branch.
     */
    @Test
    void dropoutInsideAParallelBranchFollowedByDense() {
        String spec = "Dense(1.5, 0.1) Relu Dense(1.2, 0.1) FanOut(2) Parallel(Dropout(0.4) Dense(1.2, 0.1); Identity) "
                + "FanInSum Relu Dense(1, 0.1)";
        Network net = Network.parse(spec);
        Matrix x = SphereData.points(3, 4, 31);
        KernelResult exact = new KernelComputer(net, 2).compute(x, null);
        KernelResult without = new KernelComputer(Network.parse(spec.replace("Dropout(0.4) ", "")), 2).compute(x, null);
        KernelEstimate nngp = MonteCarloKernels.readoutNngp(net, x, WIDTH, 12, 61, 2);
        KernelEstimate ntk = MonteCarloKernels.ntk(net, x, WIDTH, 12, 62, 2);
        double zk = maxZ(nngp, exact.nngp());
        double zt = maxZ(ntk, exact.ntk());
        double off = Math.min(maxZ(nngp, without.nngp()), maxZ(ntk, without.ntk())); // the diagonal without the 1/keep
        report("branch Dropout NNGP", spec, zk, maxZ(nngp, without.nngp()));
        report("branch Dropout NTK", spec, zt, maxZ(ntk, without.ntk()));
        assertTrue(zk <= 4 && zt <= 4, spec + ": max |z| NNGP " + zk + ", NTK " + zt);
        assertTrue(off > 6, spec + ": the kernel without Dropout should be far off on the diagonal, |z| " + off);
    }

    /** A standard Dense after FanInConcat reads the sum of the branches' declared widths (5 + 7) in its gradients too. */
    @Test
    void standardDenseAfterConcatenation() {
        String spec = "Dense(1.5, 0.1, width=4) Relu FanOut(2) Parallel(Dense(1.2, 0.1, width=5); Dense(1.1, 0, width=7)) "
                + "FanInConcat Dense(1, 0.1, parameterization=standard)";
        Network net = Network.parse(spec);
        Matrix x = SphereData.points(3, 4, 37);
        KernelResult exact = new KernelComputer(net, 2).compute(x, null);
        KernelEstimate ntk = MonteCarloKernels.ntk(net, x, WIDTH, 8, 63, 2);
        double zt = maxZ(ntk, exact.ntk());
        report("standard after concat NTK", spec, zt, Double.NaN);
        assertTrue(zt <= 4, spec + ": max |z| NTK " + zt);
    }
}
