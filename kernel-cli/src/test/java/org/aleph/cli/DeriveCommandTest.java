package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code aleph derive}: formulas, provenance and the check table as text and JSON; refused
 * expressions exit 2 with one sentence; expressions without a closed form report quadrature
 * and the reason.
 */
class DeriveCommandTest {

    @Test
    void derivesSinPlusSquareSymbolically() {
        Cli.Result r = Cli.run("derive", "Sin(x) + x^2/2");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("phi'(x)            = x+Cos(x)"), r::toString);
        assertTrue(r.out().contains("provenance         : symbolic"), r::toString);
        assertTrue(r.out().contains("Sinh(q12)"), r::toString);
        assertTrue(r.out().contains("check against quadrature"), r::toString);
        assertTrue(r.out().contains("max relative error"), r::toString);
        assertTrue(r.noStackTrace(), r::toString);
        assertEquals(0, r.errLines(), r::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasTheFormulasAndTheCheck() {
        Cli.Result r = Cli.run("derive", "Max(0,x)", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> o = MiniJson.object(r.out());
        assertEquals("UnitStep(x)", o.get("dphi"));
        assertEquals("symbolic", o.get("source"));
        for (String k : List.of("phi", "nngp", "dnngp", "latex_nngp", "latex_dnngp")) {
            assertTrue(o.get(k) instanceof String s && !s.isEmpty(), k + " in " + r.out());
        }
        assertTrue(((String) o.get("nngp")).contains("ArcCos"), r::toString);
        double err = ((Number) o.get("max_rel_error")).doubleValue();
        assertTrue(err < 1e-10, r::toString);
        List<Object> checks = (List<Object>) o.get("checks");
        assertTrue(checks.size() >= 10, r::toString);
        // the reported pair of values really agree (relu at rho = +-1 included)
        for (Object c : checks) {
            Map<String, Object> m = (Map<String, Object>) c;
            double a = ((Number) m.get("nngp")).doubleValue();
            double b = ((Number) m.get("nngp_quadrature")).doubleValue();
            assertEquals(b, a, 1e-9 * Math.max(1, Math.abs(b)), r::toString);
        }
    }

    @Test
    void tanhFallsBackToQuadratureWithTheReason() {
        Cli.Result r = Cli.run("derive", "Tanh(x)", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> o = MiniJson.object(r.out());
        assertEquals("quadrature", o.get("source"));
        assertTrue(((String) o.get("provenance")).contains("Tanh"), r::toString);
        assertEquals(null, o.get("nngp"));
    }

    @Test
    void aRefusedExpressionExitsTwoWithOneSentence() {
        Cli.Result r = Cli.run("derive", "Import(\"/etc/passwd\")");
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains("not allowed"), r::toString);
        assertTrue(r.noStackTrace(), r::toString);
        assertEquals("", r.out());
    }
}
