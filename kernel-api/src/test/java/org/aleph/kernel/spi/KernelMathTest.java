package org.aleph.kernel.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** KernelMath's ports agree bit for bit (0 ulps) with StrictMath, the fdlibm reference. */
class KernelMathTest {

    private static void same(double expected, double actual, double x, String f) {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
                f + "(" + x + "): expected " + expected + " got " + actual);
    }

    @Test
    void acosAndAsinEqualStrictMathOnEveryBranch() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 2_000_000; i++) {
            double x = switch (i % 5) {
                case 0 -> 2 * rnd.nextDouble() - 1;                       // uniform in [-1, 1]
                case 1 -> (rnd.nextBoolean() ? 1 : -1) * (1 - Math.scalb(rnd.nextDouble(), -rnd.nextInt(53))); // near +-1
                case 2 -> Math.scalb(2 * rnd.nextDouble() - 1, -rnd.nextInt(70));  // near 0, tiny
                case 3 -> (rnd.nextBoolean() ? 1 : -1) * (0.5 + Math.scalb(2 * rnd.nextDouble() - 1, -rnd.nextInt(50))); // near the 0.5 split
                default -> (rnd.nextBoolean() ? 1 : -1) * (0.975 + Math.scalb(2 * rnd.nextDouble() - 1, -rnd.nextInt(50)));
            };
            same(StrictMath.acos(x), KernelMath.acos(x), x, "acos");
            same(StrictMath.asin(x), KernelMath.asin(x), x, "asin");
        }
    }

    @Test
    void specialValues() {
        double[] xs = {1, -1, 0, -0.0, 0.5, -0.5, 0.975, -0.975, Math.nextDown(1.0), Math.nextUp(-1.0),
            Double.MIN_VALUE, -Double.MIN_VALUE, 0x1p-57, 0x1p-27, 1.5, -2, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double x : xs) {
            same(StrictMath.acos(x), KernelMath.acos(x), x, "acos");
            same(StrictMath.asin(x), KernelMath.asin(x), x, "asin");
        }
    }

    @Test
    void propertyOverAllDoublesInTheDomain() {
        qt().withExamples(20000).forAll(doubles().between(-1, 1)).checkAssert(x -> {
            same(StrictMath.acos(x), KernelMath.acos(x), x, "acos");
            same(StrictMath.asin(x), KernelMath.asin(x), x, "asin");
        });
    }
}
