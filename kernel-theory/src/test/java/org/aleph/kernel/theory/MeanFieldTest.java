package org.aleph.kernel.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

class MeanFieldTest {

    private static final MeanField RELU = new MeanField(Activations.of("Relu"));
    private static final MeanField ERF = new MeanField(Activations.of("Erf"));
    private static final MeanField TANH = new MeanField(Activations.of("Tanh"));

    @Test
    void reluIsCriticalAtTwoZero() {
        // E[step(u)^2] = 1/2 for every q, so chi1 = sw2 / 2 = 1 exactly, and V(q) = q: every q
        // is a fixed point; propagation from unit inputs keeps q0 = sw2 + sb2 = 2.
        SignalPropagation p = RELU.at(2, 0);
        assertEquals(1.0, p.chi1(), 0.0);
        assertEquals(2.0, p.qStar(), 0.0);
        assertEquals(1.0, p.cStar(), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, p.xiGrad());
        assertEquals(SignalPropagation.Phase.CRITICAL, p.phase(1e-12));
        // off the critical point: length dies out / blows up, chi1 = sw2 / 2 either way
        SignalPropagation ordered = RELU.at(1.9, 0);
        assertEquals(0.0, ordered.qStar(), 0.0);
        assertEquals(0.95, ordered.chi1(), 1e-15);
        assertEquals(-1 / Math.log(0.95), ordered.xiGrad(), 1e-12);
        SignalPropagation chaotic = RELU.at(2.1, 0);
        assertTrue(chaotic.lengthDiverges());
        assertEquals(1.05, chaotic.chi1(), 1e-15);
        assertTrue(chaotic.xiGrad() < 0, "gradients explode in the chaotic phase");
    }

    @Test
    void reluWithoutBiasIsOrderedWithVanishingLengthBelowTwo() {
        // V(q) = sw2 q / 2: q* = 0 for every sw2 < 2, chi1 = sw2 / 2 (these once gave NaN when
        // Aitken's square underflowed on the way to 0)
        double[] w = new double[40];
        double[] b = new double[40];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.05 * (i + 0.5);
        }
        SignalPropagation[] p = RELU.at(w, b);
        for (int i = 0; i < w.length; i++) {
            assertEquals(0.0, p[i].qStar(), 0.0, "sw2 = " + w[i]);
            assertEquals(w[i] / 2, p[i].chi1(), 1e-15, "sw2 = " + w[i]);
            assertEquals(1.0, p[i].cStar(), 0.0);
        }
    }

    @Test
    void squareActivationHasTheQuadraticFixedPointOrNone() {
        // phi = x^2: E[u^4] = 3 q^2, so V(q) = 3 sw2 q^2 + sb2. The stable root of V(q) = q is
        // (1 - sqrt(1 - 12 sw2 sb2)) / (6 sw2); with 12 sw2 sb2 > 1 there is no fixed point and
        // the length diverges (a slow passage first, which once left Steffensen's method wandering).
        MeanField square = new MeanField(Activations.of("Monomial", 2));
        SignalPropagation p = square.at(0.25, 0.05);
        assertEquals((1 - Math.sqrt(1 - 12 * 0.25 * 0.05)) / (6 * 0.25), p.qStar(), 1e-15);
        assertTrue(Math.abs(p.lengthSlope()) < 1);
        assertTrue(square.at(4.0 / 9, 0.375).lengthDiverges());
        assertTrue(square.at(4.0 / 9, 0.0).qStar() == 0.0, "no bias, start 4/9 below the unstable root 3/4");
        assertTrue(square.at(2.0, 0.0).lengthDiverges(), "start 2 above the unstable root 1/6");
    }

    @Test
    void reluWithBiasHasTheClosedFormFixedPoint() {
        // V(q) = sw2 q / 2 + sb2 is linear: q* = sb2 / (1 - sw2 / 2), V'(q*) = sw2 / 2.
        SignalPropagation p = RELU.at(1.2, 0.1);
        assertEquals(0.1 / (1 - 0.6), p.qStar(), 1e-15);
        assertEquals(0.6, p.lengthSlope(), 1e-9);
        assertEquals(-1 / Math.log(0.6), p.xiQ(), 1e-8);
        assertEquals(1.0, p.cStar(), 0.0);
        assertEquals(0.6, p.chi1(), 1e-15);
    }

    @Test
    void erfChi1FromClosedFormEqualsQuadratureAndHandFormula() {
        MeanField quadrature = new MeanField(Activations.erfByQuadrature());
        double[][] points = {{0.5, 0.0}, {1.0, 0.05}, {1.5, 0.2}, {2.5, 0.1}, {4.0, 0.5}};
        for (double[] pt : points) {
            SignalPropagation closed = ERF.at(pt[0], pt[1]);
            SignalPropagation quad = quadrature.at(pt[0], pt[1]);
            assertEquals(closed.chi1(), quad.chi1(), 1e-9 * closed.chi1(), "chi1 at " + pt[0] + ", " + pt[1]);
            assertEquals(closed.qStar(), quad.qStar(), 1e-9 * Math.max(1, closed.qStar()));
            assertEquals(closed.cStar(), quad.cStar(), 1e-8);
            // Williams 1997: E[erf'(u)^2] = (4/pi) / sqrt(1 + 4 q)
            double q = Math.max(closed.qStar(), MeanField.Q_FLOOR);
            assertEquals(pt[0] * 4 / Math.PI / Math.sqrt(1 + 4 * q), closed.chi1(), 1e-14);
        }
    }

    @Test
    void erfChi1FromTheCasDerivationEqualsTheClosedForm() {
        // Expr("Erf(x)"): Symja decomposes phi, assembles Williams' arcsine kernel and compiles it.
        Activation cas = org.aleph.kernel.ActivationRegistry.defaultRegistry()
                .create("Expr", java.util.List.of("Erf(x)"), java.util.Map.of());
        assertEquals(org.aleph.kernel.spi.Provenance.Kind.SYMBOLIC, cas.provenance().kind(), cas.provenance().toString());
        MeanField symbolic = new MeanField(cas);
        double[] w = {0.5, 1.0, 1.5, 2.5, 4.0};
        double[] b = {0.0, 0.05, 0.2, 0.1, 0.5};
        SignalPropagation[] s = symbolic.at(w, b);
        SignalPropagation[] c = ERF.at(w, b);
        for (int i = 0; i < w.length; i++) {
            assertEquals(c[i].chi1(), s[i].chi1(), 1e-12 * c[i].chi1(), "chi1 at " + w[i] + ", " + b[i]);
            assertEquals(c[i].qStar(), s[i].qStar(), 1e-12 * Math.max(1, c[i].qStar()));
            assertEquals(c[i].cStar(), s[i].cStar(), 1e-10);
        }
    }

    @Test
    void erfAndTanhBecomeChaoticAtTheSlopeOfPhiAtZero() {
        // With sb2 = 0 and phi odd, q* = 0 in the ordered phase and chi1 -> sw2 phi'(0)^2.
        assertEquals(Math.PI / 4 * 4 / Math.PI * 0.9, ERF.at(Math.PI / 4 * 0.9, 0).chi1(), 1e-12);
        SignalPropagation ordered = TANH.at(0.9, 0);
        assertEquals(0.0, ordered.qStar(), 0.0);
        assertEquals(0.9, ordered.chi1(), 1e-9);
        SignalPropagation chaotic = TANH.at(1.5, 0);
        assertTrue(chaotic.qStar() > 0 && chaotic.chi1() > 1);
        assertEquals(0.0, chaotic.cStar(), 1e-14, "odd phi, no bias: c* = 0");
    }

    @Test
    void fixedPointsSatisfyTheirEquations() {
        // bounded activations have a finite q* everywhere; Gelu and Softplus grow like Relu
        // for large inputs, so their length diverges beyond sigma_w^2 = 2
        // (Gelu and Softplus are ordered throughout sigma_w^2 < 2: their chaos needs sigma_w^2 > 2)
        Object[][] cases = {{ERF, 4.0, true}, {TANH, 4.0, true}, {new MeanField(Activations.of("Gelu")), 1.95, false},
            {new MeanField(Activations.of("Softplus")), 1.95, false}, {new MeanField(Activations.of("Sin")), 4.0, true}};
        for (Object[] c : cases) {
            MeanField mf = (MeanField) c[0];
            java.util.Map<SignalPropagation.Phase, Integer> seen = new java.util.EnumMap<>(SignalPropagation.Phase.class);
            qt().withExamples(25).forAll(doubles().between(0.2, (Double) c[1]), doubles().between(0.0, 1.0))
                    .checkAssert((sw2, sb2) -> seen.merge(checkFixedPoints(mf, sw2, sb2), 1, Integer::sum));
            // coverage: the generator reaches both phases, so both branches of the c* solver ran
            assertTrue(!(Boolean) c[2] || seen.getOrDefault(SignalPropagation.Phase.ORDERED, 0) >= 3
                    && seen.getOrDefault(SignalPropagation.Phase.CHAOTIC, 0) >= 3, mf.activation().name() + " phases " + seen);
        }
    }

    private static SignalPropagation.Phase checkFixedPoints(MeanField mf, double sw2, double sb2) {
        SignalPropagation p = mf.at(sw2, sb2);
        String where = mf.activation().name() + " at (" + sw2 + ", " + sb2 + ")";
        assertTrue(Double.isFinite(p.qStar()), where);
        double q = p.qStar();
        assertEquals(q, mf.lengthMap(q, sw2, sb2), 1e-12 * Math.max(1, q), "q* " + where);
        double c = p.cStar();
        assertEquals(c, mf.correlationMap(c, Math.max(q, MeanField.Q_FLOOR), sw2, sb2), 1e-12, "c* " + where);
        assertTrue(Math.abs(p.lengthSlope()) <= 1 + 1e-6, "q* stable " + where);
        assertTrue(p.correlationSlope() <= 1 + 1e-9, "c* stable " + where);
        assertEquals(p.chi1() <= 1 + 1e-12, c == 1.0, "c* = 1 exactly in the ordered phase " + where);
        return p.phase(0);
    }

    @Test
    void depthScalesMatchTheRateOfConvergenceOfTheIteratedMaps() {
        // Iterate the maps from near the fixed points and measure the geometric rate directly.
        for (MeanField mf : new MeanField[] {ERF, TANH}) {
            double sw2 = 2.0;
            double sb2 = 0.1;
            SignalPropagation p = mf.at(sw2, sb2);
            double q = p.qStar() * 1.01;
            double d0 = q - p.qStar();
            for (int l = 0; l < 20; l++) {
                q = mf.lengthMap(q, sw2, sb2);
            }
            double rate = Math.pow((q - p.qStar()) / d0, 1.0 / 20);
            assertEquals(p.lengthSlope(), rate, 2e-3, mf.activation().name() + " length rate");
            double c = p.cStar() - 1e-4;
            double e0 = c - p.cStar();
            for (int l = 0; l < 10; l++) {
                c = mf.correlationMap(c, p.qStar(), sw2, sb2);
            }
            double crate = Math.pow((c - p.cStar()) / e0, 1.0 / 10);
            assertEquals(p.correlationSlope(), crate, 2e-3, mf.activation().name() + " correlation rate");
            assertEquals(-1 / Math.log(p.correlationSlope()), p.xiC(), 1e-12);
        }
    }

    @Test
    void blockAndThreadedSolvesAgreeWithSinglePoints() {
        Activation act = Activations.of("Erf");
        MeanField mf = new MeanField(act);
        double[] w = {0.3, 0.785, 1.0, 1.7, 3.0, 3.9};
        double[] b = {0.0, 0.0, 0.3, 0.05, 0.9, 0.0};
        SignalPropagation[] block = mf.at(w, b, 2);
        for (int i = 0; i < w.length; i++) {
            SignalPropagation one = mf.at(w[i], b[i]);
            assertEquals(one.qStar(), block[i].qStar(), 1e-13 * Math.max(1, one.qStar()));
            assertEquals(one.chi1(), block[i].chi1(), 1e-13);
            assertEquals(one.cStar(), block[i].cStar(), 1e-12);
        }
    }
}
