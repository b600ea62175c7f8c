package org.aleph.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seconds since this process started, for the {@code ALEPH_TIMING=1} line of
 * {@code aleph kernel}.
 *
 * <p>{@code ProcessHandle.Info.startInstant()} adds the process's start, counted from boot, to
 * the boot time of {@code /proc/stat}, which Linux gives in whole seconds; so its age of a
 * process is off by up to a second, the same for every process of one boot (measured here: a
 * constant 0.24 s too much). On Linux this class subtracts the start in clock ticks since boot
 * ({@code /proc/self/stat}, field 22) from the time since boot ({@code /proc/uptime}), both in
 * hundredths of a second on the same clock; elsewhere it falls back to {@code startInstant()}.
 */
final class ProcessStart {

    /** Linux's USER_HZ: the unit of the start time in {@code /proc/self/stat}. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessStart() {
    }

    /**
     * The seconds since boot at which the run's client process started, when a server runs
     * the command for it ({@link AlephServer}); NaN in a command's own process.
     */
    static volatile double clientStartedAtUptime = Double.NaN;

    /** Seconds since the process started (NaN when unknown); for a server's run, since its client started. */
    static double secondsSince() {
        if (!Double.isNaN(clientStartedAtUptime)) {
            try {
                return uptime(Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII)) - clientStartedAtUptime;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            String uptime = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII);
            return secondsSince(stat, uptime);
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().info().startInstant()
                    .map(i -> java.time.Duration.between(i, java.time.Instant.now()).toNanos() * 1e-9)
                    .orElse(Double.NaN);
        }
    }

    /**
     * The age from the texts of {@code /proc/self/stat} and {@code /proc/uptime}. The command
     * name (field 2) is in parentheses and may hold spaces, so fields are counted after its
     * closing parenthesis: the start time is the 20th field after it.
     */
    static double secondsSince(String stat, String uptime) {
        return uptime(uptime) - startedAtUptime(stat);
    }

    private static double startedAtUptime(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(after[19]) / TICKS_PER_SECOND;
    }

    private static double uptime(String uptime) {
        return Double.parseDouble(uptime.trim().split("\\s+")[0]);
    }
}
