package org.aleph.kernel.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CriticalLineTest {

    @Test
    void pointsOnTheLineAreCriticalFixedPoints() {
        // Solving the mean field from scratch at each traced point must find q* = q and chi1 = 1.
        for (String name : new String[] {"Erf", "Tanh"}) {
            MeanField mf = new MeanField(Activations.of(name));
            CriticalLine line = mf.criticalLine(0.01, 3, 7);
            assertTrue(line.size() >= 5, name + " line has " + line.size() + " points");
            SignalPropagation[] p = mf.at(line.sw2(), line.sb2());
            for (int i = 0; i < line.size(); i++) {
                String where = name + " at q = " + line.q()[i];
                assertEquals(1.0, p[i].chi1(), 1e-9, where);
                assertEquals(line.q()[i], p[i].qStar(), 1e-6 * line.q()[i], where);
                assertEquals(1.0, p[i].cStar(), 1e-6, where);
            }
        }
    }

    @Test
    void lineStartsWhereChi1OfTheLinearisedMapIsOne() {
        // q -> 0: sigma_w^2 -> 1 / phi'(0)^2 and sigma_b^2 -> 0: Tanh (1, 0), Erf (pi/4, 0).
        CriticalLine tanh = new MeanField(Activations.of("Tanh")).criticalLine(1e-8, 1e-6, 2);
        assertEquals(1.0, tanh.sw2()[0], 1e-7);
        assertEquals(0.0, tanh.sb2()[0], 1e-7);
        CriticalLine erf = new MeanField(Activations.of("Erf")).criticalLine(1e-8, 1e-6, 2);
        assertEquals(Math.PI / 4, erf.sw2()[0], 1e-7);
        // and sigma_b^2 increases along the line (Poole et al. 2016, Fig. 2)
        CriticalLine longer = new MeanField(Activations.of("Erf")).criticalLine(0.01, 10, 20);
        for (int i = 1; i < longer.size(); i++) {
            assertTrue(longer.sb2()[i] > longer.sb2()[i - 1] && longer.sw2()[i] > longer.sw2()[i - 1]);
        }
    }

    @Test
    void reluLineCollapsesToOnePoint() {
        CriticalLine relu = new MeanField(Activations.of("Relu")).criticalLine(0.1, 10, 5);
        assertEquals(5, relu.size());
        for (int i = 0; i < relu.size(); i++) {
            assertEquals(2.0, relu.sw2()[i], 0.0);
            assertEquals(0.0, relu.sb2()[i], 1e-14 * relu.q()[i]);
        }
    }
}
