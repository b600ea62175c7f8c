package org.aleph.kernel.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.aleph.kernel.quadrature.GaussianExpectation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.InvalidArgumentException;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.SymbolicDerivation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Expressions that are not mathematics are refused; those without a closed form fall back. */
class ExprSafetyAndFallbackTest {

    @ParameterizedTest
    @ValueSource(strings = {"Import(\"/etc/passwd\")", "x = 3", "Module({a}, a + x)", "Run(ls)", "y + x",
        "ReadString(x)", "Do(x, 10)", "f(x)", "Set(x, 1)", "D(x^2, x)", "SystemDialogInput()", "URLFetch(x)",
        "While(True)", "  ", "Sin(x); Cos(x)", "x_ + 1", "Integrate(x, x)", "N(Pi)", "I*x", "x^100000", "x + 10^10^10", "x^(2^40)"})
    void refusesWhatIsNotAMathematicalExpression(String expr) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Expr.of(expr));
        assertEquals("expr", e.parameter());
        assertTrue(e.getMessage().startsWith("Expr: "), e.getMessage());
        assertTrue(e.getMessage().contains("not allowed") || e.getMessage().contains("empty")
                || e.getMessage().contains("larger") || e.getMessage().contains("written as a number"), e.getMessage());
    }

    @Test
    void tanhFallsBackToQuadratureAndSaysWhy() {
        Activation a = Expr.of("Tanh(x)");
        assertEquals(Provenance.Kind.QUADRATURE, a.provenance().kind());
        assertTrue(a.provenance().detail().contains("quadrature: no closed-form family for the factor Tanh(x)"),
                a.provenance().detail());
        SymbolicDerivation d = (SymbolicDerivation) a;
        assertEquals("Sech(x)^2", d.dphi());
        assertEquals("", d.nngp());
        double[] k = new double[1], dk = new double[1];
        a.expectations(new double[] {1.3}, new double[] {0.4}, new double[] {0.7}, 1, k, dk);
        GaussianExpectation q = GaussianExpectation.forKinks(new double[0]);
        assertEquals(q.expectation(Math::tanh, 1.3, 0.4, 0.7), k[0], 1e-12);
        assertEquals(Math.tanh(0.5), a.phi(0.5), 1e-15);
        assertEquals(1 / Math.pow(Math.cosh(0.5), 2), a.dphi(0.5), 1e-15);
    }

    @Test
    void aTimeLimitFallsBackToQuadrature() {
        Activation a = Expr.of("Sin(3*x) + x^3", Duration.ofMillis(1));
        assertEquals(Provenance.Kind.QUADRATURE, a.provenance().kind());
        assertTrue(a.provenance().detail().contains("time limit"), a.provenance().detail());
        // the timed-out result is not cached: with time, the same expression derives symbolically
        assertEquals(Provenance.Kind.SYMBOLIC, Expr.of("Sin(3*x) + x^3").provenance().kind());
    }

    @Test
    void anUnsupportedProductFallsBackWithTheReason() {
        Activation a = Expr.of("Erf(x)*Max(0,x)");
        assertEquals(Provenance.Kind.QUADRATURE, a.provenance().kind());
        assertTrue(a.provenance().detail().contains("Erf"), a.provenance().detail());
        assertEquals(0.0, a.kinks()[0]);
    }

    @Test
    void aRectifiedTermTimesASineFallsBack() {
        Activation a = Expr.of("Sin(x)*Max(0,x)");
        assertEquals(Provenance.Kind.QUADRATURE, a.provenance().kind());
        assertTrue(a.provenance().detail().contains("rectified"), a.provenance().detail());
    }

    @Test
    void derivationsAreCachedPerExpression() {
        assertTrue(Expr.of("x^2 + Sin(x)") == Expr.of(" x^2 + Sin(x) "));
    }
}
