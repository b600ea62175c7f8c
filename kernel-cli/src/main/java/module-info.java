/**
 * The {@code aleph} command line: one picocli subcommand per job ({@code kernel},
 * {@code activations}, ...), data files (CSV, NumPy {@code .npy}) read and written without
 * loss, and plug-in activations loaded from jars into a child module layer.
 *
 * <p>The CLI names no activation: the providers of {@code kernel-activations} (and of any other
 * module on the module path, e.g. {@code kernel-cas}) arrive by service binding, plug-ins from
 * {@code --plugin-path} through {@link java.lang.ModuleLayer}.
 *
 * @uses org.aleph.kernel.spi.ActivationProvider to find the activations of plug-in jars
 */
module org.aleph.cli {
    requires org.aleph.kernel;
    requires org.aleph.kernel.io;
    requires org.aleph.kernel.dynamics;
    requires org.aleph.kernel.finite;
    requires info.picocli;
    requires org.aleph.kernel.theory;
    requires org.aleph.kernel.fit;
    requires org.aleph.kernel.scale;
    requires org.jfree.jfreechart;
    requires org.jfree.svg;
    requires hipparchus.core;
    requires java.desktop;

    // picocli fills the @Option fields of the commands by reflection.
    opens org.aleph.cli to info.picocli;

    uses org.aleph.kernel.spi.ActivationProvider;
}
