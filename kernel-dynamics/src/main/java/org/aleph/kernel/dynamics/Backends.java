package org.aleph.kernel.dynamics;

/** Holder that loads the linear algebra implementations once, on first use. */
final class Backends {

    static final LinearAlgebra PURE_JAVA = new EjmlLinearAlgebra();
    static final LinearAlgebra NATIVE;
    static final String NATIVE_FAILURE;
    static final LinearAlgebra AUTOMATIC;

    static {
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
