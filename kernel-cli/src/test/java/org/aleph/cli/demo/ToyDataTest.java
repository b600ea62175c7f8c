package org.aleph.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ToyData}: the noisy sine is what it says, reproducibly. */
class ToyDataTest {

    @Test
    void noisySineWithinRangeSortedAndReproducible() {
        ToyData d = ToyData.noisySine(10, 100, -3, 3, 0.1, 5);
        assertEquals(10, d.trainX().length);
        for (int i = 0; i < 10; i++) {
            assertTrue(d.trainX()[i] >= -3 && d.trainX()[i] <= 3);
            assertTrue(i == 0 || d.trainX()[i] >= d.trainX()[i - 1], "sorted");
            assertEquals(Math.sin(d.trainX()[i]), d.trainY()[i], 0.5, "noise 0.1: five standard deviations");
        }
        assertEquals(-3, d.testX()[0], 0);
        assertEquals(3, d.testX()[99], 1e-15);
        assertEquals(6.0 / 99, d.testX()[1] - d.testX()[0], 1e-15);
        assertEquals(Math.sin(d.testX()[42]), d.testY()[42], 0);
        ToyData again = ToyData.noisySine(10, 100, -3, 3, 0.1, 5);
        assertArrayEquals(d.trainX(), again.trainX(), 0);
        assertArrayEquals(d.trainY(), again.trainY(), 0);
        ToyData exact = ToyData.noisySine(10, 100, -3, 3, 0, 5);
        assertEquals(0, ToyData.rmse(exact.trainY(), java.util.Arrays.stream(exact.trainX()).map(Math::sin).toArray()), 0);
    }

    @Test
    void rmse() {
        assertEquals(Math.sqrt(12.5), ToyData.rmse(new double[] {1, 2}, new double[] {4, -2}), 1e-15);
    }
}
