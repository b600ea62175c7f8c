package org.aleph.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.InvalidArgumentException;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.SymbolicDerivation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph derive EXPR}: derives the kernel of phi given as an expression in x through the
 * {@code Expr} activation (module {@code org.aleph.kernel.cas}, found by service binding like
 * every activation; the CLI has no compile-time dependency on it) and prints phi, phi', the
 * formulas E[phi(u)phi(v)] and E[phi'(u)phi'(v)] in q11, q12, q22 as text and LaTeX, the
 * provenance, and the table of checks against quadrature. The derivation is read through the
 * optional SPI capability {@link SymbolicDerivation}.
 */
@Command(name = "derive",
        sortOptions = false,
        description = {
            "Derives the NNGP and NTK expectations of an activation written as an expression in x.",
            "Prints phi, phi', E[phi(u)phi(v)] and E[phi'(u)phi'(v)] for (u,v) ~ N(0, [[q11,q12],[q12,q22]])",
            "as formulas and LaTeX, where they come from (symbolic, or quadrature with the reason),",
            "and the check of the formulas against quadrature. Needs kernel-cas on the module path.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph derive \"Sin(x) + x^2/2\"",
            "  aleph derive \"Max(0,x)^2\" --json",
            "  aleph derive \"Exp(-x^2)*Cos(3*x)\"",
        })
public final class DeriveCommand implements Callable<Integer> {

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPR",
            description = "phi as an expression in x (Symja syntax: Sin(x), Exp(x), Max(0,x), Erf(x), x^2, ...).")
    String expr;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        ActivationRegistry registry = aleph.registry();
        if (registry.find("Expr").isEmpty()) {
            throw new UserErrorException("aleph derive needs the Expr activation of module org.aleph.kernel.cas"
                    + " (kernel-cas), which is not on the module path or plug-in path.");
        }
        Activation a;
        try {
            a = registry.create("Expr", List.of(expr), Map.of());
        } catch (InvalidArgumentException e) {
            throw new UserErrorException("derive: " + e.getMessage(), e);
        }
        if (!(a instanceof SymbolicDerivation d)) {
            throw new UserErrorException("derive: the Expr activation found (" + registry.find("Expr").get().module()
                    + ") does not report a derivation.");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            out.println(json(a, d));
        } else {
            text(a, d, out);
        }
        out.flush();
        return 0;
    }

    private static void text(Activation a, SymbolicDerivation d, PrintWriter out) {
        Provenance p = a.provenance();
        out.println("phi(x)             = " + d.phi());
        out.println("phi'(x)            = " + d.dphi());
        out.println("provenance         : " + p);
        if (p.kind() != Provenance.Kind.SYMBOLIC) {
            out.println("no verified closed form: the expectations are computed by quadrature.");
            return;
        }
        out.println("E[phi(u) phi(v)]   = " + d.nngp());
        out.println("  LaTeX            : " + d.latexNngp());
        out.println("E[phi'(u) phi'(v)] = " + d.dnngp());
        out.println("  LaTeX            : " + d.latexDnngp());
        out.println("  with (u, v) ~ N(0, [[q11, q12], [q12, q22]])");
        out.println();
        out.println("check against quadrature:");
        String f = "%10s %10s %10s %8s  %22s %22s  %22s %22s  %9s%n";
        out.printf(Locale.ROOT, f, "q11", "q12", "q22", "rho", "nngp", "quadrature", "dnngp", "quadrature", "rel.err");
        for (SymbolicDerivation.Check c : d.checks()) {
            double rho = c.q12() / Math.sqrt(c.q11() * c.q22());
            out.printf(Locale.ROOT, "%10.5g %10.5g %10.5g %8.5f  %22.16g %22.16g  %22.16g %22.16g  %9.2e%n",
                    c.q11(), c.q12(), c.q22(), rho, c.nngp(), c.nngpQuadrature(), c.dnngp(), c.dnngpQuadrature(),
                    c.relativeError());
        }
        out.printf(Locale.ROOT, "max relative error: %.2e%n", d.maxRelativeError());
    }

    private String json(Activation a, SymbolicDerivation d) {
        Provenance p = a.provenance();
        JsonWriter w = new JsonWriter().beginObject();
        w.name("expr").value(expr);
        w.name("activation").value(a.name());
        w.name("phi").value(d.phi());
        w.name("dphi").value(d.dphi());
        boolean symbolic = p.kind() == Provenance.Kind.SYMBOLIC;
        w.name("nngp");
        if (symbolic) {
            w.value(d.nngp());
        } else {
            w.nullValue();
        }
        w.name("dnngp");
        if (symbolic) {
            w.value(d.dnngp());
        } else {
            w.nullValue();
        }
        w.name("latex_nngp");
        if (symbolic) {
            w.value(d.latexNngp());
        } else {
            w.nullValue();
        }
        w.name("latex_dnngp");
        if (symbolic) {
            w.value(d.latexDnngp());
        } else {
            w.nullValue();
        }
        w.name("source").value(p.kind().label());
        w.name("provenance").value(p.toString());
        w.name("max_rel_error").value(d.maxRelativeError());
        w.name("checks").beginArray();
        for (SymbolicDerivation.Check c : d.checks()) {
            w.beginObject();
            w.name("q11").value(c.q11());
            w.name("q12").value(c.q12());
            w.name("q22").value(c.q22());
            w.name("nngp").value(c.nngp());
            w.name("nngp_quadrature").value(c.nngpQuadrature());
            w.name("dnngp").value(c.dnngp());
            w.name("dnngp_quadrature").value(c.dnngpQuadrature());
            w.name("rel_error").value(c.relativeError());
            w.endObject();
        }
        w.endArray();
        return w.endObject().toString();
    }
}
