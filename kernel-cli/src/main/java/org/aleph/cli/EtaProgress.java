package org.aleph.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.aleph.kernel.scale.ScaleProgress;

/**
 * Progress of the tiled solver on standard error, one line per stage at most every
 * {@value #INTERVAL_MS} ms, with the time spent and an estimate of the time left: linear in
 * the units done for the tiles, the preconditioner and the prediction; for the conjugate
 * gradients, linear in the digits of residual gained so far against those still to gain
 * (log r_0 / r over log r_0 / tol), since the residual falls roughly geometrically.
 */
final class EtaProgress implements ScaleProgress {

    static final long INTERVAL_MS = 5000;

    private final PrintWriter err;
    private final double tolerance;
    private String stage = "";
    private long stageStart = System.nanoTime();
    private long lastPrint;
    private double firstResidual = Double.NaN;
    private String finished = "";

    EtaProgress(PrintWriter err, double tolerance) {
        this.err = err;
        this.tolerance = tolerance;
    }

    @Override
    public synchronized void update(String name, long done, long total) {
        long now = start(name);
        if (done < total && (now - lastPrint) / 1_000_000 < INTERVAL_MS || done >= total && finished.equals(name)) {
            return;
        }
        if (done >= total) {
            finished = name;
        }
        if (done >= total && (now - stageStart) / 1_000_000 < 1000 && lastPrint < stageStart) {
            return; // quick stages print nothing
        }
        lastPrint = now;
        double spent = (now - stageStart) / 1e9;
        double fraction = total == 0 ? 1 : (double) done / total;
        err.printf(Locale.ROOT, "%s: %d/%d (%.0f%%) after %.1f s%s%n", name, done, total, 100 * fraction, spent,
                eta(spent, fraction));
        err.flush();
    }

    @Override
    public synchronized void iteration(int iteration, double residual) {
        long now = start("solve");
        if (Double.isNaN(firstResidual)) {
            firstResidual = residual;
        }
        if ((now - lastPrint) / 1_000_000 < INTERVAL_MS) {
            return;
        }
        lastPrint = now;
        double spent = (now - stageStart) / 1e9;
        double fraction = firstResidual > tolerance && residual < firstResidual
                ? Math.log(firstResidual / residual) / Math.log(firstResidual / tolerance) : 0;
        err.printf(Locale.ROOT, "solve: iteration %d, relative residual %.2e (target %.0e) after %.1f s%s%n", iteration, residual,
                tolerance, spent, eta(spent, Math.min(1, fraction)));
        err.flush();
    }

    private long start(String name) {
        long now = System.nanoTime();
        if (!name.equals(stage)) {
            stage = name;
            stageStart = now;
        }
        return now;
    }

    private static String eta(double spent, double fraction) {
        if (!(fraction > 0) || fraction >= 1) {
            return "";
        }
        return String.format(Locale.ROOT, ", about %.0f s left", spent * (1 - fraction) / fraction);
    }
}
