package org.aleph.kernel.blas;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * Grow-only off-heap buffers, reused from call to call, for passing Java arrays to the bundled
 * OpenBLAS. A fresh native allocation of n^2 doubles is fresh memory whose every 4 KB page
 * faults on first touch, which on this project's machines costs about as much as the
 * factorisation itself at n = 2000 (docs/performance.md, "First-touch page faults" and
 * "predict and classify without a system BLAS"); a reused buffer is touched once per process.
 * The buffers are kept until the process ends (the largest is as big as the largest matrix
 * factorised). Not thread-safe: its owner serialises the calls.
 */
final class OffHeapWorkspace {

    private final DoublePointer[] doubles;
    private final IntPointer[] ints;

    /** A workspace with the given numbers of double and int buffers. */
    OffHeapWorkspace(int doubleSlots, int intSlots) {
        doubles = new DoublePointer[doubleSlots];
        ints = new IntPointer[intSlots];
    }

    /** Buffer {@code slot}, at least {@code size} doubles (contents undefined), positioned at 0. */
    DoublePointer doubles(int slot, long size) {
        DoublePointer p = doubles[slot];
        if (p == null || p.capacity() < Math.max(1, size)) {
            if (p != null) {
                p.close();
            }
            p = new DoublePointer(Math.max(1, size));
            doubles[slot] = p;
        }
        return p.position(0);
    }

    /** Buffer {@code slot} holding a copy of {@code a[0..length)}, positioned at 0. */
    DoublePointer copyOf(int slot, double[] a, int length) {
        DoublePointer p = doubles(slot, length);
        if (length > 0) {
            p.put(a, 0, length);
        }
        return p.position(0);
    }

    /** Int buffer {@code slot}, at least {@code size} ints (contents undefined), positioned at 0. */
    IntPointer ints(int slot, long size) {
        IntPointer p = ints[slot];
        if (p == null || p.capacity() < Math.max(1, size)) {
            if (p != null) {
                p.close();
            }
            p = new IntPointer(Math.max(1, size));
            ints[slot] = p;
        }
        return p.position(0);
    }
}
