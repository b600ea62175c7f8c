package org.aleph.kernel.dynamics;

/** The two kernels of an infinitely wide network: the NNGP K and the NTK Theta. */
public enum KernelKind {
    /** The NNGP kernel K: the covariance of the network at initialisation. */
    NNGP("NNGP"),
    /** The neural tangent kernel Theta, which drives gradient descent. */
    NTK("NTK");

    private final String label;

    KernelKind(String label) {
        this.label = label;
    }

    /** The name used in messages. */
    public String label() {
        return label;
    }
}
