package org.aleph.kernel.finite;

import java.util.List;
import org.aleph.kernel.spi.Activation;

/**
 * One layer of a finite network with its widths fixed. Every op has an {@code id} (its
 * position in a depth-first walk) under which a forward pass records the op's input.
 */
sealed interface Op {

    /** Position in a depth-first walk of the network; indexes the forward trace. */
    int id();

    /** {@code z = c W y + b_std b} with {@code c = W_std / sqrt(in)}; {@code index} counts dense layers. */
    record Dense(int id, int index, int in, int out, double wStd, double bStd) implements Op {
        double scale() {
            return wStd / Math.sqrt(in);
        }
    }

    /** {@code y = phi(z)} entry by entry. */
    record Act(int id, Activation activation, int width) implements Op {
    }

    /** {@code y = z / sqrt(|z|^2 / width)} per sample (left unchanged when z = 0). */
    record Norm(int id, int width) implements Op {
    }

    /** {@code y = z + branch(z)}. */
    record Skip(int id, List<Op> branch, int width) implements Op {
    }
}
