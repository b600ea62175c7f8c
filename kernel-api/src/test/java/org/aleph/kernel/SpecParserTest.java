package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecParserTest {

    private final ActivationRegistry registry = TestActivations.registry();

    private Network parse(String spec) {
        return Network.parse(spec, registry);
    }

    private SpecException error(String spec) {
        return assertThrows(SpecException.class, () -> parse(spec));
    }

    @Test
    void parsesTheDesignExamples() {
        Network a = parse("Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Erf Dense(1, 0)");
        assertEquals(5, a.layers().size());
        assertEquals(new Layer.Dense(1.5, 0.05), a.layers().get(0));
        assertEquals("Relu", a.layers().get(1).spec());

        Network b = parse("Dense(W_std=2, b_std=0.1) Param(0.1, n=2) Dense Residual(Relu Dense(1,0)) LayerNorm Dense()");
        assertEquals(new Layer.Dense(2, 0.1), b.layers().get(0));
        assertEquals("Param(alpha=0.1, n=2)", b.layers().get(1).spec());
        Layer.Residual r = assertInstanceOf(Layer.Residual.class, b.layers().get(3));
        assertEquals(List.of("Relu", "Dense(1, 0)"), r.branch().stream().map(Layer::spec).toList());
        assertInstanceOf(Layer.LayerNorm.class, b.layers().get(4));
        assertEquals(new Layer.Dense(1, 0), b.layers().get(5));
    }

    @Test
    void defaultsAndBareNames() {
        assertEquals(new Layer.Dense(1, 0), parse("Dense").layers().get(0));
        assertEquals(new Layer.Dense(2, 0), parse("Dense(2)").layers().get(0));
        assertEquals(new Layer.Dense(1, 0.5), parse("Dense(b_std=0.5)").layers().get(0));
        assertEquals("Param(alpha=0.01, n=3)", parse("Dense Param(n=3)").layers().get(1).spec());
        assertEquals(new Layer.Dense(1e-3, 2.5e2), parse("  Dense( 1e-3 ,\t+2.5E2 )  ").layers().get(0));
    }

    @Test
    void specTextRoundTrips() {
        String[] specs = {
            "Dense(1.5, 0.05) Relu Dense(1, 0)",
            "Dense(2, 0.1) Residual(Erf Dense(0.5, 0)) LayerNorm Residual(Relu Residual(Identity Dense(1, 0)) Dense(1, 0)) Dense(1, 0)",
            "Dense(1, 0) Param(alpha=0.25, n=4) Dense(1, 0)",
        };
        for (String s : specs) {
            Network n = parse(s);
            assertEquals(n, parse(n.spec()), s);
        }
    }

    @Test
    void builderGivesTheSameNetwork() {
        Network parsed = parse("Dense(1.5, 0.05) Relu Dense(1, 0.1) Residual(Erf Dense(1, 0)) LayerNorm Dense(1, 0)");
        Network built = Layers.serial(Layers.dense(1.5, 0.05), Layers.activation(registry.create("Relu")), Layers.dense(1, 0.1),
                Layers.residual(Layers.activation(registry.create("Erf")), Layers.dense()), Layers.layerNorm(),
                Layers.dense(1, 0));
        assertEquals(parsed, built);
        assertEquals(parsed.layers(), built.layers());
    }

    @Test
    void unknownLayerNamesColumnAndSuggests() {
        SpecException e = error("Dense(1.5, 0.05) Rleu Dense(1, 0)");
        assertEquals(18, e.column());
        assertTrue(e.getMessage().contains("unknown layer 'Rleu'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean Relu"), e.getMessage());
        assertTrue(error("Dens(1, 0)").getMessage().contains("Dense"));
        assertTrue(error("Dense LayerNrom").getMessage().contains("LayerNorm"));
    }

    @Test
    void unbalancedParentheses() {
        SpecException open = error("Dense(1.5, 0.05 Relu");
        assertEquals(17, open.column(), open.getMessage());
        assertTrue(open.getMessage().contains("'(' at column 6 missing"), open.getMessage());
        SpecException close = error("Dense(1, 0)) Relu");
        assertEquals(12, close.column());
        assertTrue(close.getMessage().contains("unbalanced ')'"));
        SpecException residual = error("Residual(Relu Dense(1, 0)");
        assertTrue(residual.getMessage().contains("missing ')'"), residual.getMessage());
        assertTrue(error("(Relu)").getMessage().contains("must follow a layer name"));
    }

    @Test
    void badArguments() {
        SpecException neg = error("Dense(-1, 0)");
        assertEquals(1, neg.column());
        assertTrue(neg.getMessage().contains("W_std must be finite and non-negative"), neg.getMessage());
        assertTrue(error("Dense(1, abc)").getMessage().contains("not a number"));
        assertTrue(error("Dense(1, 1e999)").getMessage().contains("not a finite number"));
        assertTrue(error("Dense(1, 0, 3)").getMessage().contains("at most 2 arguments"));
        assertTrue(error("Dense(w=1)").getMessage().contains("no parameter 'w'"));
        assertTrue(error("Relu(2)").getMessage().contains("takes no arguments"));
        assertTrue(error("Param()").getMessage().contains("needs parameter 'n'"));
        assertTrue(error("Param(n=1.5)").getMessage().contains("must be an integer"));
        assertTrue(error("Param(n=1, n=2)").getMessage().contains("given twice"));
        assertTrue(error("Param(n=1, 0.2)").getMessage().contains("positional argument cannot follow"));
        assertTrue(error("Param(\"x\", n=1)").getMessage().contains("must be a number"));
        assertTrue(error("Dense(1 2)").getMessage().contains("expected ',' or ')'"));
        assertTrue(error("Param(\"abc").getMessage().contains("unterminated string"));
    }

    @Test
    void residualNeedsAnExactCrossTerm() {
        parse("Dense Residual(Dense Relu) Dense"); // fresh weights in the branch: independent of the zero-mean skip path
        parse("Dense Residual(Relu) Dense"); // Stein's lemma
        SpecException e = error("Dense Residual(Relu LayerNorm) Dense");
        assertEquals(7, e.column());
        assertTrue(e.getMessage().contains("no exact rule"), e.getMessage());
        assertTrue(error("Residual()").getMessage().contains("empty branch"));
    }

    @Test
    void activationsNeedGaussianInputs() {
        SpecException raw = error("Relu Dense");
        assertEquals(1, raw.column());
        assertTrue(raw.getMessage().contains("Relu must follow a Dense or Conv layer"), raw.getMessage());
        assertTrue(raw.getMessage().contains("the raw data"), raw.getMessage());
        // consecutive nonlinearities are one composed activation on the Gaussian (ActivationComposition)
        assertEquals(3, parse("Dense Relu Relu Dense").layers().size());
        // the skip path of a residual after a nonlinearity is not Gaussian, so neither is the sum
        assertEquals(21, error("Dense Relu Residual(Relu Dense) Relu Dense").column());
        // Identity and LayerNorm keep a Gaussian input Gaussian; a residual over one stays Gaussian
        parse("Dense Identity Relu Dense LayerNorm Erf Dense Residual(Relu Dense) Relu Dense");
        assertThrows(SpecException.class, () -> Layers.serial(Layers.activation(registry.create("Relu")), Layers.dense()));
    }

    @Test
    void emptySpec() {
        assertTrue(error("   ").getMessage().contains("the spec is empty"));
    }

    /** Residual(Residual(...(Dense) Dense)...) nested {@code depth} levels, a valid network. */
    private static String nested(int depth) {
        return "Dense " + "Residual(".repeat(depth) + "Dense" + " Dense)".repeat(depth) + " Relu Dense";
    }

    @Test
    void nestingUpToTheLimitParsesAndComputes() {
        Network n = parse(nested(SpecParser.MAX_NESTING));
        Layer l = n.layers().get(1);
        int depth = 0;
        while (l instanceof Layer.Residual r) {
            depth++;
            l = r.branch().get(0);
        }
        assertEquals(SpecParser.MAX_NESTING, depth);
        // the kernel recursion descends as deep: it must finish, and a residual sum of x with itself doubles the variance
        KernelResult k = n.kernels(Matrix.wrap(1, 2, new double[] {1, 1}), null);
        assertTrue(Double.isFinite(k.nngp().data()[0]) && k.nngp().data()[0] > 0, () -> "" + k.nngp().data()[0]);
    }

    @Test
    void deeperNestingIsASpecErrorNotAStackOverflow() {
        SpecException e = error(nested(SpecParser.MAX_NESTING + 1));
        // the column of the first Residual( beyond the limit: "Dense " then MAX_NESTING times "Residual("
        assertEquals(7 + 9 * SpecParser.MAX_NESTING, e.column());
        assertTrue(e.getMessage().contains("nested more than " + SpecParser.MAX_NESTING), e::getMessage);
        SpecException hostile = error("Residual(".repeat(2000));
        assertTrue(hostile.getMessage().contains("nested more than"), hostile::getMessage);
        SpecException unclosed = error("Dense " + "Residual(".repeat(20_000) + "Dense");
        assertTrue(unclosed.getMessage().contains("nested more than"), unclosed::getMessage);
    }
}
