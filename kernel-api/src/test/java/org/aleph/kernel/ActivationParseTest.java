package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ActivationRegistry#parse}: one activation as a spec writes it, with the spec's columns in its errors. */
class ActivationParseTest {

    @Test
    void parsesOneActivationWithItsArguments() {
        ActivationRegistry r = TestActivations.registry();
        assertEquals("Erf", r.parse("Erf").name());
        assertEquals("Param(alpha=0.5, n=3)", r.parse(" Param(0.5, n=3) ").name());
    }

    @Test
    void anythingElseIsASpecErrorWithItsColumn() {
        ActivationRegistry r = TestActivations.registry();
        SpecException dense = assertThrows(SpecException.class, () -> r.parse("Dense(1, 0)"));
        assertTrue(dense.getMessage().contains("is not an activation"), dense.getMessage());
        SpecException two = assertThrows(SpecException.class, () -> r.parse("Erf Dense"));
        assertTrue(two.getMessage().contains("has 2 layers"), two.getMessage());
        SpecException unknown = assertThrows(SpecException.class, () -> r.parse("Erf2"));
        assertEquals(1, unknown.column());
        SpecException badArg = assertThrows(SpecException.class, () -> r.parse("Param(0.5, n=11)"));
        assertTrue(badArg.getMessage().contains("n"), badArg.getMessage());
    }
}
