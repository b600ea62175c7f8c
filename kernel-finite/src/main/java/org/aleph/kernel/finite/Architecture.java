package org.aleph.kernel.finite;

import java.util.ArrayList;
import java.util.List;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;

/**
 * A {@link Network} with its widths fixed: input width d, hidden width n for every Dense
 * layer, {@code outputs} for the last top-level Dense layer, and for the Dense layer that ends
 * a Residual branch the width of the branch's input (so that {@code x + f(x)} is defined).
 */
final class Architecture {

    final List<Op> ops;
    final List<Op.Dense> dense;
    final int inputs;
    final int outputs;
    final int opCount;
    /** The last top-level op when it is Dense (its input is the readout features), else null. */
    final Op.Dense readout;

    private int nextId;

    Architecture(Network network, int inputs, int width, int outputs) {
        if (inputs < 1) {
            throw new UserErrorException("the input dimension must be at least 1, got " + inputs);
        }
        if (width < 1) {
            throw new UserErrorException("the width must be at least 1, got " + width);
        }
        if (outputs < 1) {
            throw new UserErrorException("the number of outputs must be at least 1, got " + outputs);
        }
        List<Layer> layers = network.layers();
        int lastDense = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Layer.Dense) {
                lastDense = i;
            }
        }
        this.dense = new ArrayList<>();
        this.inputs = inputs;
        int[] w = {inputs};
        this.ops = List.copyOf(build(layers, w, width, lastDense, outputs, -1));
        this.outputs = w[0];
        this.opCount = nextId;
        Op last = ops.get(ops.size() - 1);
        this.readout = last instanceof Op.Dense d ? d : null;
    }

    /**
     * @param current in: the input width; out: the output width
     * @param lastTop index of the top-level Dense that gets {@code outputs} units (-1 if none or nested)
     * @param branchOut the width the last Dense of this (branch) list must produce, or -1
     */
    private List<Op> build(List<Layer> layers, int[] current, int width, int lastTop, int outputs, int branchOut) {
        List<Op> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            int id = nextId++;
            if (layer instanceof Layer.Dense d) {
                int o = i == lastTop ? outputs : (branchOut > 0 && i == layers.size() - 1 ? branchOut : width);
                Op.Dense op = new Op.Dense(id, dense.size(), current[0], o, d.wStd(), d.bStd());
                dense.add(op);
                out.add(op);
                current[0] = o;
            } else if (layer instanceof Layer.Nonlinearity nl) {
                out.add(new Op.Act(id, nl.activation(), current[0]));
            } else if (layer instanceof Layer.LayerNorm) {
                out.add(new Op.Norm(id, current[0]));
            } else if (layer instanceof Layer.Residual r) {
                int skip = current[0];
                int[] inner = {skip};
                List<Op> branch = build(r.branch(), inner, width, -1, outputs, skip);
                out.add(new Op.Skip(id, List.copyOf(branch), skip));
            } else {
                throw new IllegalStateException("unknown layer type " + layer);
            }
        }
        return out;
    }

    /** The number of parameters (every weight and bias, including biases whose b_std is 0). */
    long parameterCount() {
        long p = 0;
        for (Op.Dense d : dense) {
            p += (long) d.out() * d.in() + d.out();
        }
        return p;
    }
}
