package org.aleph.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * What {@code aleph activations} lists for the activations of the modules kept off the boot
 * layer ({@link BootModules#ON_DEMAND}: kernel-cas's {@code Expr}) without loading them:
 * resolving kernel-cas and Symja's jars into a layer costs more than the rest of the command
 * (docs/performance.md, "Start-up"), and a listing needs only the name, the parameters, the
 * provenance and the description. The entry is a description of kernel-cas's
 * {@code ExprProvider}, the same in every field (OnDemandListingTest compares them); it cannot
 * create an activation: specs that name {@code Expr} load the real module
 * ({@link Aleph#wantsOnDemandModules}).
 */
final class OnDemandListing {

    /** The module that provides {@code Expr}. */
    static final String MODULE = "org.aleph.kernel.cas";
    /** The file name of its jar in the lib folder: artifact id, then the version. */
    static final String JAR_PREFIX = "kernel-cas-";

    private OnDemandListing() {
    }

    /**
     * The listing entries of the on-demand activations found in {@code folder} (the script's
     * lib folder), empty when the folder is null, holds no kernel-cas jar, or kernel-cas is in
     * the boot layer already (then the registry lists it itself).
     */
    static List<ActivationRegistry.Entry> entries(Path folder) {
        if (folder == null || ModuleLayer.boot().findModule(MODULE).isPresent()) {
            return List.of();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, JAR_PREFIX + "*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                String version = name.substring(JAR_PREFIX.length(), name.length() - ".jar".length());
                return List.of(new ActivationRegistry.Entry(new Expr(), MODULE, version));
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return List.of();
    }

    /** The description of kernel-cas's Expr provider. */
    static final class Expr implements ActivationProvider {
        @Override
        public String name() {
            return "Expr";
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(Parameter.string("expr", "phi as an expression in x, e.g. \"Sin(x) + x^2/2\""));
        }

        /** Never called: a spec with Expr loads kernel-cas itself. */
        @Override
        public Activation create(Arguments arguments) {
            throw new IllegalStateException("Expr is listed without kernel-cas loaded; a spec naming it loads the module");
        }

        @Override
        public Provenance.Kind kind() {
            return Provenance.Kind.SYMBOLIC;
        }

        @Override
        public String description() {
            return "phi written as an expression in x; kernel derived by Symja (quadrature when no closed form)";
        }
    }
}
