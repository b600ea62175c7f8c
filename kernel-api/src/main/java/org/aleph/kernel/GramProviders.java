package org.aleph.kernel;

import java.util.Comparator;
import java.util.ServiceLoader;
import org.aleph.kernel.spi.GramProvider;

/**
 * Finds the best available {@link GramProvider} once per process, as late as possible.
 *
 * <p>Loading a native BLAS is slow (JavaCPP maps OpenBLAS and starts its threads; the first
 * load of all unpacks it into a cache), often slower than a whole small kernel (docs/performance.md). So
 * {@link #best()} hands {@link KernelComputer} a deferred provider that looks for the real one
 * only when a Gram large enough for it is asked for ({@link #MIN_WORK}); {@link #prefetch()}
 * lets a caller start that search on another thread while it reads its inputs. When no
 * provider turns out to be available the deferred one computes the products in pure Java
 * ({@link InputGram#products}, tiles on every core, each dot product summed in index order),
 * the same values the per-tile path gives, bit for bit.
 */
final class GramProviders {

    /** Below this many multiply-adds (n1 n2 d) the pure-Java tiles are as fast as a BLAS call. */
    static final long MIN_WORK = 1L << 22;

    private static volatile GramProvider resolved;
    private static volatile boolean searched;
    private static volatile Boolean declared;

    /** Stands in for the best provider until the first large Gram. */
    private static final GramProvider DEFERRED = new GramProvider() {
        @Override
        public String name() {
            GramProvider p = resolved();
            return p == null ? InputGram.NAME : p.name();
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public void gram(double[] x1, int n1, double[] x2, int n2, int d, double[] out) {
            GramProvider p = resolved();
            if (p == null) {
                InputGram.products(x1, n1, x2, n2, d, out, Runtime.getRuntime().availableProcessors());
            } else {
                p.gram(x1, n1, x2, n2, d, out);
            }
        }
    };

    private GramProviders() {
    }

    /**
     * The provider for {@link KernelComputer}: null (the pure-Java tiles) when
     * -Daleph.pureJava=true or no provider is declared, else the deferred one, which finds the
     * available provider of highest priority at its first use.
     */
    static GramProvider best() {
        if (Boolean.getBoolean("aleph.pureJava")) {
            return null;
        }
        Boolean any = declared;
        if (any == null) {
            try {
                any = ServiceLoader.load(GramProvider.class).stream().findAny().isPresent();
            } catch (java.util.ServiceConfigurationError | RuntimeException | LinkageError e) {
                any = false;
            }
            declared = any;
        }
        return any ? DEFERRED : null;
    }

    /** The available provider of highest priority, or null; found (and its native library loaded) once. */
    static GramProvider resolved() {
        if (!searched) {
            synchronized (GramProviders.class) {
                if (!searched) {
                    resolved = Boolean.getBoolean("aleph.pureJava") ? null : find();
                    searched = true;
                }
            }
        }
        return resolved;
    }

    /** Starts {@link #resolved()} on a daemon thread, so that a native library loads while the caller reads its inputs. */
    static void prefetch() {
        if (!searched && best() != null) {
            Thread t = new Thread(GramProviders::resolved, "aleph-gram-provider");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * The first available provider in order of falling priority. Providers after it are not
     * asked: asking loads their native library, and two OpenBLAS builds in one process (the
     * system's and the bundled one) crashed in dgemm (docs/performance.md, "Input Gram").
     */
    private static GramProvider find() {
        try {
            return ServiceLoader.load(GramProvider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .sorted(Comparator.comparingInt(GramProvider::priority).reversed())
                    .filter(GramProviders::available)
                    .findFirst()
                    .orElse(null);
        } catch (java.util.ServiceConfigurationError | RuntimeException | LinkageError e) {
            return null; // a broken provider must not stop the pure-Java path
        }
    }

    private static boolean available(GramProvider p) {
        try {
            return p.available();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
