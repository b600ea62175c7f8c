package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aleph server} on socket folders made by the test: a log's last start line names the
 * server, its runs are counted from there, dead processes and missing sockets are not listed.
 * (ServerIT lists and stops real servers.)
 */
class ServerCommandTest {

    @TempDir
    Path tmp;

    @Test
    void theLastStartOfALogNamesTheServerAndItsRuns() {
        Path socket = tmp.resolve("a.sock");
        List<String> log = List.of(
                AlephServer.STARTED + "17 in /old, stops after 600 idle seconds",
                AlephServer.EXIT + "0 after 0.1 s",
                AlephServer.STARTED + "42 in /data/my, stops after 60 idle seconds",
                "aleph-server: warmed up (3 runs) in 0.6 s",
                "aleph-server: running kernel --net x",
                AlephServer.EXIT + "0 after 0.2 s",
                AlephServer.EXIT + "2 after 0.1 s");
        assertEquals(new ServerCommand.Running(42, socket, "/data/my", 2), ServerCommand.lastStart(log, socket));
        assertNull(ServerCommand.lastStart(List.of("aleph-server: running kernel"), socket), "no start line");
        assertNull(ServerCommand.lastStart(List.of(AlephServer.STARTED + "x in /a, stops after 1 idle seconds"), socket),
                "not a pid");
    }

    @Test
    void listsNoServerWhereNoneRuns() throws IOException {
        Path folder = tmp.resolve("aleph-server-" + System.getProperty("user.name"));
        Files.createDirectories(folder);
        // a server that is gone (pid of no process is unlikely to be Long.MAX_VALUE), with its socket file left
        Files.writeString(folder.resolve("k.log"), AlephServer.STARTED + Long.MAX_VALUE + " in /x, stops after 600 idle seconds\n");
        Files.writeString(folder.resolve("k.sock"), "");
        // this very JVM is alive but its log has no socket
        Files.writeString(folder.resolve("m.log"), AlephServer.STARTED + ProcessHandle.current().pid() + " in /y, stops after 600 idle seconds\n");
        assertEquals(List.of(), ServerCommand.running(folder));
        Cli.Result r = Cli.run(Map.of("XDG_RUNTIME_DIR", tmp.toString()), "server");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("no server is running"), r.toString());
        Cli.Result stop = Cli.run(Map.of("XDG_RUNTIME_DIR", tmp.toString()), "server", "--stop");
        assertEquals(0, stop.status(), stop.toString());
        assertEquals("stopped 0 servers", stop.out().strip());
    }
}
