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
    void tanhPointsPinnedToAnIndependentScipyComputation() {
        // src/test/python/tanh_reference.py (NumPy 200-point Gauss-Hermite, SciPy brentq; shares
        // nothing with Aleph) prints these values.
        MeanField tanh = new MeanField(Activations.of("Tanh"));
        SignalPropagation a = tanh.at(1.5, 0.05);
        assertEquals(0.418037200533, a.qStar(), 1e-11);
        assertEquals(0.938636268199, a.chi1(), 1e-11);
        SignalPropagation b = tanh.at(2.5, 0.05);
        assertEquals(1.06395837742, b.qStar(), 1e-10);
        assertEquals(1.1335156987, b.chi1(), 1e-10);
        assertEquals(0.4468042323442681, b.cStar(), 1e-10);
        // the critical line at sigma_b^2 = 0.05 exactly, by bisection on its parameter q
        double lo = 0.3;
        double hi = 1.0;
        for (int i = 0; i < 60; i++) {
            double mid = 0.5 * (lo + hi);
            if (tanh.criticalLine(mid, mid * (1 + 1e-12), 2).sb2()[0] < 0.05) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        assertEquals(1.7609546396067879, tanh.criticalLine(lo, lo * (1 + 1e-12), 2).sw2()[0], 1e-9);
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
