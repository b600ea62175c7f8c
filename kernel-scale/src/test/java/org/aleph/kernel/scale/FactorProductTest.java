package org.aleph.kernel.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The preconditioner's thin products on the Vector API ({@link VectorFactorProduct}) against
 * the plain triple loops, on sizes that leave tails everywhere (r not a multiple of 8, n not a
 * multiple of the vector length or of the column block), and bit-for-bit repeatable.
 */
class FactorProductTest {

    @Test
    void projectAndLiftEqualTheTripleLoops() {
        assertTrue(TiledKernel.Product.vectorApi(), "surefire runs with --add-modules jdk.incubator.vector");
        Random rnd = new Random(11);
        for (int[] size : new int[][] {{13, 1037, 3}, {16, 1024, 10}, {5, 9, 1}}) {
            int r = size[0];
            int n = size[1];
            int k = size[2];
            double[] lt = gaussian(rnd, r * n);
            double[] rhs = gaussian(rnd, n * k);
            double[] d = gaussian(rnd, r * k);
            double[] z0 = gaussian(rnd, n * k);
            double[] c = new double[r * k];
            double[] z = z0.clone();
            for (int j = 0; j < r; j++) {
                for (int i = 0; i < n; i++) {
                    for (int q = 0; q < k; q++) {
                        c[j * k + q] += lt[j * n + i] * rhs[i * k + q];
                        z[i * k + q] += lt[j * n + i] * d[j * k + q];
                    }
                }
            }
            double[] vc = VectorFactorProduct.project(lt, r, n, rhs, k, 2);
            double[] vz = z0.clone();
            VectorFactorProduct.addLift(lt, r, n, d, k, vz, 2);
            for (int e = 0; e < c.length; e++) {
                assertTrue(Math.abs(vc[e] - c[e]) <= 1e-12 * Math.sqrt(n), "L^T R entry " + e + ": " + vc[e] + " vs " + c[e]);
            }
            for (int e = 0; e < z.length; e++) {
                assertTrue(Math.abs(vz[e] - z[e]) <= 1e-12 * Math.sqrt(r), "Z + L D entry " + e + ": " + vz[e] + " vs " + z[e]);
            }
            assertArrayEquals(vc, VectorFactorProduct.project(lt, r, n, rhs, k, 2), 0.0, "repeatable");
            double[] again = z0.clone();
            VectorFactorProduct.addLift(lt, r, n, d, k, again, 2);
            assertArrayEquals(vz, again, 0.0, "repeatable");
        }
    }

    private static double[] gaussian(Random rnd, int size) {
        double[] v = new double[size];
        for (int e = 0; e < size; e++) {
            v[e] = rnd.nextGaussian();
        }
        return v;
    }
}
