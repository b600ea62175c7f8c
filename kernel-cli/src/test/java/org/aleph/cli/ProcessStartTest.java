package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ProcessStart}: the age of a process from Linux's /proc texts. */
class ProcessStartTest {

    @Test
    void readsTheStartTimeAfterACommandNameWithSpacesAndParentheses() {
        // the 22nd field (start time, ticks since boot) is 2083996; a name like "a) b" must not shift the fields
        String stat = "31278 (a) b) R 31233 31233 23563 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 2083996 3133440 417 1844 0 0\n";
        assertEquals(20850.93 - 20839.96, ProcessStart.secondsSince(stat, "20850.93 6015.44\n"), 1e-9);
    }

    @Test
    void thisProcessIsOlderThanNothingAndYoungerThanTheMachine() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/stat")), "Linux /proc");
        double age = ProcessStart.secondsSince();
        double machine = Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")).trim().split("\\s+")[0]);
        assertTrue(age > 0 && age <= machine + 0.01, "age " + age + " s, machine up " + machine + " s");
    }
}
