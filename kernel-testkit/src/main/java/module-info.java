/**
 * The activation testkit: {@link org.aleph.kernel.testkit.ActivationContract}, the property
 * suite that every activation (built-in or plug-in) runs by implementing one interface, and
 * the independent numerical references it checks against.
 *
 * <p>JUnit 5 and QuickTheories are required transitively, so a plug-in's test module needs
 * only {@code requires org.aleph.kernel.testkit}.
 */
module org.aleph.kernel.testkit {
    requires transitive org.aleph.kernel;
    requires transitive org.junit.jupiter.api;
    requires transitive quicktheories;
    requires hipparchus.core;

    exports org.aleph.kernel.testkit;
}
