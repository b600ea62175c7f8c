package org.aleph.kernel;

import java.util.Comparator;
import java.util.ServiceLoader;
import org.aleph.kernel.spi.GramProvider;

/** Finds the best available {@link GramProvider} once per process. */
final class GramProviders {

    /** Below this many multiply-adds (n1 n2 d) the pure-Java tiles are as fast as a BLAS call. */
    static final long MIN_WORK = 1L << 22;

    private static volatile GramProvider best;
    private static volatile boolean searched;

    private GramProviders() {
    }

    /** The available provider of highest priority, or null; -Daleph.pureJava=true disables them. */
    static GramProvider best() {
        if (!searched) {
            synchronized (GramProviders.class) {
                if (!searched) {
                    best = Boolean.getBoolean("aleph.pureJava") ? null : find();
                    searched = true;
                }
            }
        }
        return best;
    }

    private static GramProvider find() {
        try {
            return ServiceLoader.load(GramProvider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(GramProviders::available)
                    .max(Comparator.comparingInt(GramProvider::priority))
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
