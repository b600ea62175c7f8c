package org.aleph.kernel.scale;

import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;

/**
 * The identity of a tiled kernel: a 64-bit hash (FNV-1a over 64-bit words, then the MurmurHash3
 * finaliser) of everything the tiles depend on: the network spec, the image shape, the block
 * size, the storage precision and the training inputs bit for bit. Equal jobs share their tiles;
 * any change (one pixel, one parameter) gives another job folder.
 */
final class JobId {

    private static final long PRIME = 0x100000001b3L;

    private JobId() {
    }

    /** The id of float64 tiles (as the first format had them). */
    static long of(Network network, ImageShape shape, int block, Matrix x) {
        return of(network, shape, block, x, TilePrecision.FLOAT64);
    }

    static long of(Network network, ImageShape shape, int block, Matrix x, TilePrecision precision) {
        long h = 0xcbf29ce484222325L;
        if (precision != TilePrecision.FLOAT64) {
            h = mix(h, precision.label());
        }
        h = mix(h, network.spec());
        h = mix(h, shape == null ? "flat" : shape.toString());
        h = (h ^ block) * PRIME;
        h = (h ^ x.rows()) * PRIME;
        h = (h ^ x.cols()) * PRIME;
        for (double v : x.data()) {
            h = (h ^ Double.doubleToLongBits(v)) * PRIME;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * PRIME;
        }
        return (h ^ s.length()) * PRIME;
    }
}
