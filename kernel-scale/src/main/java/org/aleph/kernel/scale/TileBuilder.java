package org.aleph.kernel.scale;

import java.util.Arrays;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.KernelKind;

/**
 * Fills a {@link TileStore} with the tiles (I, J), I &lt;= J, of the train-train kernel of one
 * kind: each tile is the kernel recursion of {@link KernelComputer} on row block I against row
 * block J (block I against itself on the diagonal, exactly symmetric). Tiles already present
 * and valid are kept, so a rerun after an interruption only computes what is missing or
 * corrupted.
 */
final class TileBuilder {

    /** What a build did. */
    record Counts(int computed, int reused) {
    }

    private final Network network;
    private final ImageShape shape;
    private final int threads;

    TileBuilder(Network network, ImageShape shape, int threads) {
        this.network = network;
        this.shape = shape;
        this.threads = threads;
    }

    /** The rows {@code start .. start + rows - 1} of x as a matrix of their own. */
    static Matrix rows(Matrix x, int start, int rows) {
        int d = x.cols();
        return Matrix.wrap(rows, d, Arrays.copyOfRange(x.data(), start * d, (start + rows) * d));
    }

    /** The kernels of a against b (b null: a against itself), with the image shape when there is one. */
    KernelResult kernels(Matrix a, Matrix b) {
        KernelComputer computer = new KernelComputer(network, threads);
        return shape == null ? computer.compute(a, b) : computer.compute(a, b, shape);
    }

    static Matrix pick(KernelResult r, KernelKind kind) {
        return kind == KernelKind.NNGP ? r.nngp() : r.ntk();
    }

    /**
     * Computes the missing or invalid tiles, after checking that the space for them is free.
     *
     * @throws org.aleph.kernel.UserErrorException when the work folder lacks the space
     */
    Counts build(Matrix x, TileLayout layout, TileStore store, KernelKind kind, ScaleProgress progress) {
        return build(x, layout, store, kind, null, progress);
    }

    /**
     * Computes the missing or invalid tiles of {@code kind}, after checking that the space for
     * them is free. With a {@code companion} store (the same job, the other kernel), every tile
     * computed here also writes the other kernel's tile, which the recursion has computed
     * alongside (the NNGP and the NTK share it), so that a later solve with the other kernel
     * finds its tiles ready; the companion's space is part of the check.
     *
     * @throws org.aleph.kernel.UserErrorException when the work folder lacks the space
     */
    Counts build(Matrix x, TileLayout layout, TileStore store, KernelKind kind, TileStore companion, ScaleProgress progress) {
        int nb = layout.blocks();
        boolean[][] present = new boolean[nb][nb];
        long missingBytes = 0;
        int reused = 0;
        for (int i = 0; i < nb; i++) {
            for (int j = i; j < nb; j++) {
                present[i][j] = store.valid(i, j, layout.size(i), layout.size(j));
                if (present[i][j]) {
                    reused++;
                } else {
                    missingBytes += store.tileBytes(layout.size(i), layout.size(j));
                    if (companion != null) {
                        missingBytes += companion.tileBytes(layout.size(i), layout.size(j));
                    }
                }
            }
        }
        store.requireSpace(missingBytes);
        int total = layout.tiles();
        int computed = 0;
        int done = reused;
        progress.update("train tiles", done, total);
        for (int i = 0; i < nb; i++) {
            Matrix xi = null;
            for (int j = i; j < nb; j++) {
                if (present[i][j]) {
                    continue;
                }
                if (xi == null) {
                    xi = rows(x, layout.start(i), layout.size(i));
                }
                Matrix xj = i == j ? null : rows(x, layout.start(j), layout.size(j));
                KernelResult both = kernels(xi, xj);
                store.write(i, j, layout.size(i), layout.size(j), pick(both, kind).data());
                if (companion != null) {
                    KernelKind other = kind == KernelKind.NNGP ? KernelKind.NTK : KernelKind.NNGP;
                    companion.write(i, j, layout.size(i), layout.size(j), pick(both, other).data());
                }
                computed++;
                progress.update("train tiles", ++done, total);
            }
        }
        return new Counts(computed, reused);
    }
}
