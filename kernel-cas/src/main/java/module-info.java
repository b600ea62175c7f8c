/**
 * Symbolic derivation of activation kernels with the Symja computer algebra system.
 *
 * <p>The {@code Expr} activation takes phi as an expression in {@code x}, decomposes it into
 * families whose bivariate-Gaussian expectations are known in closed form, assembles the
 * formulas for E[phi(u)phi(v)] and E[phi'(u)phi'(v)] in (q11, q12, q22), verifies them
 * against quadrature and compiles them to Java byte code with Janino. Nothing outside this
 * module requires Symja; Symja starts only when an {@code Expr} is created.
 *
 * @provides org.aleph.kernel.spi.ActivationProvider with {@code Expr}
 */
module org.aleph.kernel.cas {
    requires org.aleph.kernel;
    requires matheclipse.core;
    requires org.codehaus.janino;
    requires org.codehaus.commons.compiler;
    requires hipparchus.core;
    // Symja's own dependencies that are explicit modules (not resolved automatically on the
    // module path): Symja's evaluator loads classes of each of them when it starts.
    requires org.apache.logging.log4j;
    requires org.jgrapht.core;
    requires org.jgrapht.io;
    requires logicng;
    requires org.chocosolver.solver;
    requires com.fasterxml.jackson.databind;

    exports org.aleph.kernel.cas;

    provides org.aleph.kernel.spi.ActivationProvider with org.aleph.kernel.cas.internal.ExprProvider;
}
