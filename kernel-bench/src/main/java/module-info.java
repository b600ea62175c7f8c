/**
 * JMH benchmarks of Aleph (not part of the test command; run them with {@code kernel-bench/run}).
 * Open, because JMH's generated harness instantiates the benchmark states reflectively.
 */
open module org.aleph.bench {
    requires org.aleph.kernel;
    requires org.aleph.kernel.io;
    requires org.aleph.kernel.dynamics;
    requires jmh.core;
}
