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

    @Test
    void atanEqualsStrictMathOnEveryBranch() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] splits = {7.0 / 16, 11.0 / 16, 19.0 / 16, 39.0 / 16};
        for (int i = 0; i < 1_000_000; i++) {
            double sign = rnd.nextBoolean() ? 1 : -1;
            double x = switch (i % 4) {
                case 0 -> sign * Math.scalb(rnd.nextDouble(), rnd.nextInt(-40, 80));  // every magnitude
                case 1 -> sign * 3 * rnd.nextDouble();                                 // the reduced ranges
                case 2 -> sign * (splits[rnd.nextInt(4)] + Math.scalb(2 * rnd.nextDouble() - 1, -rnd.nextInt(50)));
                default -> sign * Math.scalb(rnd.nextDouble(), -rnd.nextInt(1100));   // tiny and subnormal
            };
            same(StrictMath.atan(x), KernelMath.atan(x), x, "atan");
        }
    }

    @Test
    void atanSpecialValuesAndTheAtan2Identity() {
        double[] xs = {0, -0.0, 1, -1, 0x1p-29, Math.nextDown(0x1p-29), 0x1p66, Math.nextDown(0x1p66), 1e300,
            Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double x : xs) {
            same(StrictMath.atan(x), KernelMath.atan(x), x, "atan");
        }
        // atan(y / x) is fdlibm's atan2(y, x) for x > 0 and |y| <= x, the case the Erf kernel uses
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            double x = 1 + Math.scalb(rnd.nextDouble(), rnd.nextInt(0, 30));
            double y = (2 * rnd.nextDouble() - 1) * x;
            same(StrictMath.atan2(y, x), KernelMath.atan(y / x), y, "atan2 vs atan of the quotient, x = " + x);
        }
    }

    @Test
    void atan2EqualsStrictMathInEveryQuadrantAndAtEveryEdge() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int i = 0; i < 500_000; i++) {
            double x = (rnd.nextBoolean() ? 1 : -1) * Math.scalb(rnd.nextDouble(), rnd.nextInt(-80, 80));
            double y = (rnd.nextBoolean() ? 1 : -1) * Math.scalb(rnd.nextDouble(), rnd.nextInt(-80, 80));
            same(StrictMath.atan2(y, x), KernelMath.atan2(y, x), y, "atan2(., " + x + ")");
        }
        double[] edge = {0, -0.0, 1, -1, 2, 0x1p-70, 0x1p70, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double x : edge) {
            for (double y : edge) {
                same(StrictMath.atan2(y, x), KernelMath.atan2(y, x), y, "atan2(., " + x + ")");
                same(StrictMath.atan2(-y, x), KernelMath.atan2(-y, x), -y, "atan2(., " + x + ")");
            }
        }
    }
}
