package org.aleph.kernel.dynamics;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Holder that loads the linear algebra implementations once, on first use. */
final class Backends {

    static final LinearAlgebra PURE_JAVA = new EjmlLinearAlgebra();
    static final LinearAlgebra NATIVE;
    static final String NATIVE_FAILURE;
    static final LinearAlgebra AUTOMATIC;

    /**
     * netlib's loggers, kept reachable: loading native BLAS logs a warning that the JDK's vector
     * API (an incubator module) is absent, which is irrelevant once the native library loads.
     */
    private static final Logger[] QUIETED = {
        Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder"),
        Logger.getLogger("dev.ludovic.netlib.lapack.InstanceBuilder"),
    };

    static {
        for (Logger logger : QUIETED) {
            logger.setLevel(Level.SEVERE);
        }
        LinearAlgebra found = null;
        String failure = null;
        if (Boolean.getBoolean("aleph.pureJava")) {
            failure = "disabled by -Daleph.pureJava=true";
        } else {
            try {
                found = NativeLinearAlgebra.load();
            } catch (Throwable e) { // UnsatisfiedLinkError, RuntimeException, ... : no native library
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        NATIVE = found;
        NATIVE_FAILURE = failure;
        AUTOMATIC = found != null ? found : PURE_JAVA;
    }

    private Backends() {
    }
}
