package org.aleph.kernel.dynamics;

import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/** Up-front checks of shapes and finiteness, with messages that name the offending entry. */
final class Checks {

    private Checks() {
    }

    static void finite(Matrix m, String what) {
        double[] d = m.data();
        int cols = Math.max(1, m.cols());
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new UserErrorException(what + " has the non-finite value " + d[i] + " at row " + (i / cols + 1)
                        + ", column " + (i % cols + 1) + ".");
            }
        }
    }

    static void shape(Matrix m, int rows, int cols, String what) {
        if (m == null) {
            throw new UserErrorException(what + " is needed for this prediction but was not given.");
        }
        if (m.rows() != rows || m.cols() != cols) {
            throw new UserErrorException(what + " must be " + rows + " x " + cols + ", got " + m.rows() + " x " + m.cols() + ".");
        }
    }

    /** A result must be finite: a NaN here is an internal failure, never returned silently. */
    static void finiteResult(double[] d, String what) {
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new ArithmeticException("internal numerical failure: " + what + " has " + d[i] + " at index " + i
                        + " although the inputs were finite.");
            }
        }
    }
}
