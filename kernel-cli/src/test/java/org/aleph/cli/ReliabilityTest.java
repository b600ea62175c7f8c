package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reliability suite of issue 15: each kind of hostile input against every command it
 * applies to, run in-process. Every case must end with its expected status within
 * {@link #HANG_LIMIT} (a hang fails), a user mistake with status 2 and one line on standard
 * error without a stack trace, with no control character and at most a few hundred
 * characters; no file in the folder may change unless the case expects an output, and no
 * output may hold NaN. Interrupted runs (real signals) are in {@link InterruptedRunTest}.
 * The totals are printed at the end: cases, statuses, stack traces, NaN outputs, clobbered
 * files, hangs.
 */
class ReliabilityTest {

    static final Duration HANG_LIMIT = Duration.ofSeconds(60);
    static final String NET = "Dense(1.5,0.05) Relu Dense(1,0)";
    static final String DEEP = "Dense " + "Residual(".repeat(2000) + "Dense" + ")".repeat(2000);

    private static final Map<Integer, Integer> STATUSES = new TreeMap<>();
    private static int cases;
    private static int stackTraces;
    private static int nanOutputs;
    private static int clobbered;
    private static int hangs;

    @TempDir
    Path dir;
    Path x;
    Path y;
    Path t;
    Path train;
    Path test;

    @BeforeEach
    void data() throws IOException {
        x = write("x.csv", "1,2\n3,4\n-1,0.5\n0.5,0.5\n");
        y = write("y.csv", "1\n2\n3\n4\n");
        t = write("t.csv", "0,1\n2,-1\n");
        StringBuilder tr = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            tr.append(i % 2).append(',').append(i * 0.3).append(',').append(1 - i * 0.2).append('\n');
        }
        train = write("train.csv", tr.toString());
        test = write("test.csv", "0,0.1,0.9\n1,1.2,0.1\n");
    }

    /** Removes the links to devices before the folder is deleted (JUnit warns about each link otherwise). */
    @AfterEach
    void unlinkDevices() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isSymbolicLink).toList()) {
                Files.delete(p);
            }
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** A valid run of each command, to which a case adds or replaces options. */
    private Map<String, List<String>> baselines() {
        Map<String, List<String>> b = new LinkedHashMap<>();
        b.put("kernel", List.of("kernel", "--net", NET, "--x1", x.toString()));
        b.put("predict", List.of("predict", "--net", NET, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", t.toString(),
                "--mean", dir.resolve("m.csv").toString()));
        b.put("verify", List.of("verify", "--net", NET, "--widths", "8,16", "--seeds", "1", "--steps", "2"));
        b.put("classify", List.of("classify", "--net", NET, "--train", train.toString(), "--test", test.toString(), "--n-train", "6",
                "--n-test", "2"));
        b.put("phase", List.of("phase", "--act", "Relu", "--sw2", "1.5", "--sb2", "0.1"));
        b.put("dual", List.of("dual", "--act", "Relu", "--depth", "1", "--points", "5", "--degree", "2", "--out", dir.toString()));
        b.put("demo", List.of("demo", "--out", dir.resolve("demo").toString(), "--networks", "20"));
        b.put("bench", List.of("bench", "--n", "10", "--d", "3", "--no-peer", "--repeat", "1", "--nets", "relu"));
        b.put("fit", List.of("fit", "--net", NET, "--train-x", x.toString(), "--train-y", y.toString()));
        b.put("sweep", List.of("sweep", "--act", "Relu", "--train-x", x.toString(), "--train-y", y.toString(), "--out", dir.toString()));
        return b;
    }

    private static String[] with(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    /** Runs one case; checks status, the error line, no change of files (except {@code outputs}), no NaN in new outputs. */
    private Cli.Result check(int expected, String[] args, String... fragments) throws IOException {
        Map<Path, String> before = snapshot();
        cases++;
        Cli.Result r;
        try {
            r = assertTimeoutPreemptively(HANG_LIMIT, () -> Cli.run(args));
        } catch (AssertionError e) {
            hangs++;
            throw e;
        }
        STATUSES.merge(r.status(), 1, Integer::sum);
        if (!r.noStackTrace()) {
            stackTraces++;
        }
        String what = String.join(" ", Arrays.stream(args).map(a -> a.length() > 80 ? a.substring(0, 80) + "..." : a).toList());
        assertEquals(expected, r.status(), () -> what + "\n" + r);
        assertTrue(r.noStackTrace(), () -> what + "\n" + r);
        if (expected == 2) {
            assertEquals(1, r.errLines(), () -> what + "\n" + r);
            assertEquals("", r.out(), () -> what + "\n" + r);
            assertTrue(r.err().length() < 700, () -> "an overlong error line: " + r.err().length() + " characters");
            assertTrue(r.err().chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\r' || c == 0x7f), () -> "control characters in " + r);
            for (String f : fragments) {
                assertTrue(r.err().contains(f), () -> "expected '" + f + "' in\n" + r);
            }
            Map<Path, String> after = snapshot();
            if (!after.equals(before)) {
                clobbered++;
            }
            assertEquals(before, after, () -> what + ": the folder changed\n" + r);
        } else {
            for (Map.Entry<Path, String> e : snapshot().entrySet()) {
                if (!e.getValue().equals(before.get(e.getKey())) && e.getValue().contains("NaN")) {
                    nanOutputs++;
                    throw new AssertionError(what + ": NaN in " + e.getKey());
                }
            }
        }
        return r;
    }

    /** Every file under the folder (not into symbolic links) with its content as Latin-1 text. */
    private Map<Path, String> snapshot() throws IOException {
        Map<Path, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                m.put(dir.relativize(p), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return m;
    }

    @AfterAll
    static void totals() {
        System.out.printf("reliability suite: %d cases, exit statuses %s, stack traces %d, NaN in outputs %d, clobbered files %d, hangs %d%n",
                cases, STATUSES, stackTraces, nanOutputs, clobbered, hangs);
    }

    // ---- 1. malformed numbers and options

    @Test
    void threadCountsOutsideOneTo1024AreRefusedByEveryCommand() throws IOException {
        for (Map.Entry<String, List<String>> e : baselines().entrySet()) {
            if (e.getKey().equals("dual")) {
                continue; // dual has no --threads
            }
            for (String bad : new String[] {"0", "-1", "-3", "100000"}) {
                check(2, with(e.getValue(), "--threads", bad), "--threads " + bad, "1..");
            }
            check(2, with(e.getValue(), "--threads", "two"), "--threads");
        }
    }

    @Test
    void nonFiniteNumbersAreRefusedInEveryNumericOption() throws IOException {
        Map<String, List<String>> b = baselines();
        String[][] cases = {
            {"predict", "--lr"}, {"predict", "--diag-reg"}, {"predict", "--momentum"}, {"verify", "--lr"}, {"classify", "--diag-reg"},
            {"phase", "--sw2"}, {"phase", "--sb2-max"}, {"dual", "--sw2"}, {"bench", "--correlation"}, {"fit", "--noise"},
            {"fit", "--scale"}, {"sweep", "--diag-reg"},
        };
        for (String[] c : cases) {
            for (String bad : new String[] {"NaN", "Infinity", "-Infinity", "1e999", "abc"}) {
                List<String> base = new ArrayList<>(b.get(c[0]));
                int at = base.indexOf(c[1]);
                if (at >= 0) { // replace a value the baseline gives
                    base.remove(at + 1);
                    base.remove(at);
                }
                String[] extra = c[0].equals("dual") ? new String[] {c[1], bad, "--sb2", "0.1"} : new String[] {c[1], bad};
                check(2, with(base, extra), c[1]);
            }
        }
    }

    /** Branching mistakes (issue 17): each names its spec column, exit 2, one line. */
    @Test
    void badBranchingSpecsNameTheirColumn() throws IOException {
        List<String> base = baselines().get("kernel");
        String[][] cases = {
            {"Dense FanOut(3) Parallel(Relu; Dense) FanInSum Dense", "column 17", "Parallel has 2 branches but FanOut(3)"},
            {"Dense FanInSum Dense", "column 7", "none is open"},
            {"Dense Parallel(Relu; Dense) FanInSum Dense", "column 7", "Parallel needs a FanOut(k)"},
            {"Dense FanOut(2) Parallel(Relu; Dense) Dense", "column 7", "must be joined"},
            {"Dense FanOut(2) Parallel(FanOut(2) Parallel(Relu; Dense); Dense) FanInSum Dense", "column 26", "must be joined"},
            {"Dense Repeat(0, Dense) Dense", "column 14", "Repeat"},
            {"Dense FanOut(2) Parallel(Identity; Relu) FanInProd Dense", "column 7", "not independent"},
            {"Dense FanOut(2) Parallel(Relu; Erf) FanInSum Dense", "column 7", "no exact rule"},
            {"Dense Residual(Relu LayerNorm) Dense", "column 7", "no exact rule"},
            // with Dropout and the standard parameterisation (the merge of issue 17's two halves)
            {"Dense Residual(Dropout(0.2)) Dense", "column 7", "Dropout without fresh weights after it"},
            {"Dense(1, 0, width=4) FanOut(2) Parallel(Dense(1, 0, width=5); Dense(1, 0, width=7)) FanInSum "
                    + "Dense(1, 0, parameterization=standard)", "column 94", "different declared widths, 5 and 7"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(base);
            args.set(args.indexOf("--net") + 1, c[0]);
            check(2, args.toArray(String[]::new), c[1], c[2]);
        }
        List<String> ok = new ArrayList<>(base);
        ok.set(ok.indexOf("--net") + 1, "Dense FanOut(2) Parallel(Identity; Relu) FanInSum Repeat(2, Dense Relu) Dense");
        check(0, ok.toArray(String[]::new));
        ok.set(ok.indexOf("--net") + 1, "Dense(1, 0, width=8) FanOut(2) Parallel(Dropout(0.3) Dense(1, 0, width=8); Identity) "
                + "FanInConcat Dense(1, 0.1, parameterization=standard)");
        check(0, ok.toArray(String[]::new));
    }

    // ---- 1. extreme sizes

    /** A .npy header announcing {@code shape} over {@code dataBytes} bytes of float64 zeros. */
    private Path npy(String name, String shape, int dataBytes) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
        StringBuilder h = new StringBuilder(dict);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length());
        b.put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        return Files.write(dir.resolve(name), b.array());
    }

    @Test
    void impossibleShapesAndSizesAreRefusedUpFront() throws IOException {
        Path negative = npy("neg.npy", "(-3, 2)", 48);
        Path huge = npy("huge.npy", "(1099511627776, 1099511627776)", 16);
        Path overflow = npy("over.npy", "(9223372036854775807, 9223372036854775807, 4)", 16);
        for (Path p : new Path[] {negative, huge, overflow}) {
            check(2, with(baselines().get("kernel").subList(0, 3), "--x1", p.toString()), p.getFileName().toString());
            check(2, with(List.of("predict", "--net", NET, "--train-x", p.toString(), "--train-y", y.toString(), "--test-x", t.toString(),
                    "--mean", dir.resolve("m.csv").toString())), p.getFileName().toString());
            check(2, with(baselines().get("verify"), "--x", p.toString()), p.getFileName().toString());
        }
        // predict --cov over many times: the estimate counts m x m per time
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            many.append(i * 1e-3).append(',').append(1 - i * 1e-3).append('\n');
        }
        Path bigTest = write("bigtest.csv", many.toString());
        String times = String.join(",", java.util.Collections.nCopies(1000, "1"));
        check(2, with(List.of("predict", "--net", NET, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", bigTest.toString(),
                "--kernel", "ntk", "--time", times, "--mean", dir.resolve("m.csv").toString(), "--cov", dir.resolve("c.csv").toString())),
                "--cov");
        // verify: a sweep of hours is refused with its estimate
        check(2, with(List.of("verify", "--net", NET, "--widths", "64,4096", "--seeds", "1000000")), "hours");
        check(2, with(List.of("verify", "--net", NET, "--widths", "100000", "--seeds", "1000000")), "hours");
        check(2, with(List.of("verify", "--net", "Dense Relu Dense Relu Dense", "--widths", "100000")), "GiB");
    }

    // ---- 1. non-regular files

    @Test
    void devicesFoldersAndPipesAsInputs() throws Exception {
        Path zeros = Files.createSymbolicLink(dir.resolve("zeros.csv"), Path.of("/dev/zero"));
        Path random = Files.createSymbolicLink(dir.resolve("random.csv"), Path.of("/dev/urandom"));
        Path randomNpy = Files.createSymbolicLink(dir.resolve("random.npy"), Path.of("/dev/urandom"));
        Path zeroNpy = Files.createSymbolicLink(dir.resolve("zero.npy"), Path.of("/dev/zero"));
        Path folder = Files.createDirectory(dir.resolve("folder.csv"));
        for (Path p : new Path[] {zeros, random, randomNpy, zeroNpy, folder}) {
            check(2, with(List.of("kernel", "--net", NET), "--x1", p.toString()), p.getFileName().toString());
            check(2, with(List.of("predict", "--net", NET, "--train-x", x.toString(), "--train-y", p.toString(), "--test-x", t.toString(),
                    "--mean", dir.resolve("m.csv").toString())), p.getFileName().toString());
            check(2, with(List.of("classify", "--net", NET, "--train", train.toString(), "--test", p.toString())), p.getFileName().toString());
        }
        // a named pipe holding a valid CSV is read like a file
        Path fifo = dir.resolve("pipe.csv");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mk.waitFor() == 0) {
            Thread writer = new Thread(() -> {
                try {
                    Files.writeString(fifo, "1,2\n3,4\n");
                } catch (IOException e) {
                    // the reader failed; the check below reports it
                }
            });
            writer.start();
            Cli.Result r = check(0, new String[] {"kernel", "--net", NET, "--x1", fifo.toString(), "--json"});
            assertTrue(r.out().contains("\"shape\":[2,2]"), r::toString);
            writer.join(10_000);
        }
    }

    @Test
    void idxImagesWithFewerLabelsAreRefusedBeforeReading() throws IOException {
        byte[] images = new byte[16 + 5 * 4];
        ByteBuffer.wrap(images).putInt(0x00000803).putInt(5).putInt(2).putInt(2);
        byte[] labels = new byte[8 + 3];
        ByteBuffer.wrap(labels).putInt(0x00000801).putInt(3);
        Path img = Files.write(dir.resolve("a-images-idx3-ubyte"), images);
        Files.write(dir.resolve("a-labels-idx1-ubyte"), labels);
        check(2, new String[] {"classify", "--net", NET, "--train", img.toString(), "--test", img.toString(), "--n-train", "2",
            "--n-test", "2"}, "3 labels", "5 images");
    }

    // ---- 1. deep specs, 5. hostile text

    @Test
    void deepSpecsAreOneSentenceInEveryCommandThatTakesASpec() throws IOException {
        Map<String, List<String>> b = baselines();
        for (String cmd : new String[] {"kernel", "predict", "verify", "classify", "fit"}) {
            List<String> base = new ArrayList<>(b.get(cmd));
            base.set(base.indexOf("--net") + 1, DEEP);
            check(2, base.toArray(String[]::new), "nested more than");
        }
        for (String cmd : new String[] {"phase", "dual", "sweep"}) {
            List<String> base = new ArrayList<>(b.get(cmd));
            base.set(base.indexOf("--act") + 1, "Residual(".repeat(2000));
            check(2, base.toArray(String[]::new), "nested more than");
        }
    }

    @Test
    void controlCharactersAndHugeTokensAreEscapedAndCut() throws IOException {
        Path evil = write("evil.csv", "1,2\n3,\u001b[31mred\u0007\n");
        check(2, new String[] {"kernel", "--net", NET, "--x1", evil.toString()}, "\\x1b[31mred\\x07");
        check(2, new String[] {"kernel", "--net", "Dense \u001b]0;title\u0007Relu Dense", "--x1", x.toString()}, "\\x1b");
        String token = "Rleu" + "x".repeat(100_000);
        check(2, new String[] {"kernel", "--net", "Dense " + token + " Dense", "--x1", x.toString()}, " ... ");
        check(2, new String[] {"phase", "--act", token}, " ... ");
    }

    // ---- 2. silent NaN or divergence

    @Test
    void divergenceIsReportedNotPrintedAsNaN() throws IOException {
        check(2, with(baselines().get("verify"), "--lr", "1e6"), "learning rate", "diverges");
        check(2, new String[] {"dual", "--act", "Exp", "--sw2", "3", "--sb2", "0.1", "--out", dir.toString()}, "not finite at depth",
                "grows without bound");
        check(0, new String[] {"dual", "--act", "Exp", "--depth", "2", "--points", "5", "--degree", "2", "--out", dir.toString()});
        Cli.Result phase = check(0, new String[] {"phase", "--act", "Exp", "--grid", "5", "--out", dir.toString()});
        assertFalse(phase.out().contains("NaN"), phase::toString);
        Cli.Result point = check(0, new String[] {"phase", "--act", "Exp", "--sw2", "1", "--sb2", "0.1"});
        assertFalse(point.out().contains("NaN"), point::toString);
        assertTrue(point.out().contains("undefined"), point::toString);
    }

    @Test
    void undefinedAndDivergentExprActivationsAreOneSentenceInEveryCommand() throws IOException {
        Map<String, List<String>> b = baselines();
        String[][] cases = {
            {"Expr(\"Tan(x)\")", "pole"}, {"Expr(\"Exp(x^2)\")", "diverges"}, {"Expr(\"Sqrt(x)\")", "undefined"},
            {"Expr(\"Log(x)\")", "undefined"},
        };
        for (String[] c : cases) {
            String net = "Dense(1.5,0.05) " + c[0] + " Dense(1,0)";
            for (String cmd : new String[] {"kernel", "predict", "classify"}) {
                List<String> base = new ArrayList<>(b.get(cmd));
                base.set(base.indexOf("--net") + 1, net);
                check(2, base.toArray(String[]::new), c[1]);
            }
        }
        check(2, new String[] {"verify", "--net", "Dense(1.5,0.05) Expr(\"Tan(x)\") Dense(1,0)", "--widths", "8", "--seeds", "1"}, "pole");
    }

    /** A plug-in with wrong expectations: E = q12 + (q11 - q22)^2 is no kernel (|K| exceeds sqrt(K(x,x) K(x',x')) for unequal norms). */
    static final class WrongExpectations implements org.aleph.kernel.spi.Activation {
        @Override
        public String name() {
            return "Wrong";
        }

        @Override
        public double phi(double x) {
            return x;
        }

        @Override
        public double dphi(double x) {
            return 1;
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int i = 0; i < n; i++) {
                double d = q11[i] - q22[i];
                nngp[i] = q12[i] + d * d;
                if (dnngp != null) {
                    dnngp[i] = 1;
                }
            }
        }

        @Override
        public org.aleph.kernel.spi.Provenance provenance() {
            return new org.aleph.kernel.spi.Provenance(org.aleph.kernel.spi.Provenance.Kind.CLOSED_FORM, "a wrong formula", 1e-13);
        }
    }

    @Test
    void aKernelThatViolatesCauchySchwarzIsCaught() {
        org.aleph.kernel.Network wrong = org.aleph.kernel.Layers.serial(org.aleph.kernel.Layers.dense(1, 0),
                org.aleph.kernel.Layers.activation(new WrongExpectations()), org.aleph.kernel.Layers.dense(1, 0));
        org.aleph.kernel.Matrix in = org.aleph.kernel.Matrix.wrap(2, 1, new double[] {1, 3});
        org.aleph.kernel.UserErrorException e = org.junit.jupiter.api.Assertions.assertThrows(org.aleph.kernel.UserErrorException.class,
                () -> ImageInputs.compute(new org.aleph.kernel.KernelComputer(wrong, 1), in, null, null));
        assertTrue(e.getMessage().contains("violates Cauchy-Schwarz at entry (1, 2)"), e::getMessage);
        org.aleph.kernel.Network right = org.aleph.kernel.Network.parse(NET);
        ImageInputs.compute(new org.aleph.kernel.KernelComputer(right, 1), in, null, null); // a true kernel passes
        ImageInputs.compute(new org.aleph.kernel.KernelComputer(right, 1), in, org.aleph.kernel.Matrix.wrap(1, 1, new double[] {-2}), null);
    }

    // ---- 4. hangs without a word

    @Test
    void anOdeOfHoursIsRefusedWithItsEstimate() throws IOException {
        List<String> predict = List.of("predict", "--net", NET, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", t.toString(),
                "--mean", dir.resolve("m.csv").toString(), "--kernel", "ntk");
        check(2, with(predict, "--momentum", "0.999999", "--time", "1e12"), "--time", "integrator steps", "hours");
        check(2, with(predict, "--loss", "xent", "--time", "1e15"), "--time", "integrator steps");
        check(0, with(predict, "--momentum", "0.9", "--time", "1,10"));
    }

    @Test
    void longWorkShowsTheTimeLeft() {
        assertEquals(", about 30 s left", ProgressReporter.eta(25, 100, 10));
        assertEquals(", about 10 min left", ProgressReporter.eta(50, 100, 600));
        assertEquals(", about 10.0 h left", ProgressReporter.eta(1, 1001, 36));
        assertEquals("", ProgressReporter.eta(100, 100, 5));
        assertEquals("", ProgressReporter.eta(0, 100, 5));
    }

    // ---- 5. a failure inside a plug-in names its module

    @Test
    void aFailureInAPluginNamesItsModule() {
        RuntimeException e = new IllegalStateException("boom");
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("plugins", "org.example.broken", "1.2", "org.example.broken.Broken", "expectations", "Broken.java", 7),
            new StackTraceElement("app", "org.aleph.kernel", null, "org.aleph.kernel.KernelComputer", "compute", "KernelComputer.java", 1),
        });
        assertEquals(" in module org.example.broken 1.2", ExitCodes.origin(new RuntimeException("wrapped", e)));
        assertEquals("", ExitCodes.origin(new IllegalStateException("ours")));
    }

    // ---- 3. outputs that clobber what they must not

    @Test
    void outputsNeverOverwriteInputsOrEachOther() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), x);
        Path hard = Files.createLink(dir.resolve("hard.csv"), y);
        Path m = dir.resolve("m.csv");
        List<String> predict = List.of("predict", "--net", NET, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", t.toString());
        check(2, with(predict, "--mean", x.toString()), "--mean", "overwrite an input");
        check(2, with(predict, "--mean", link.toString()), "--mean", "overwrite an input");
        check(2, with(predict, "--mean", hard.toString()), "--mean", "overwrite an input");
        check(2, with(predict, "--mean", m.toString(), "--var", m.toString()), "--var", "already another output");
        check(2, with(predict, "--mean", m.toString(), "--var", dir.resolve(".").resolve("m.csv").toString()), "--var", "already another output");
        check(2, with(predict, "--mean", dir.resolve("t.csv").toString()), "--mean", "overwrite an input");
        check(2, new String[] {"kernel", "--net", NET, "--x1", link.toString(), "--nngp", x.toString()}, "--nngp", "overwrite an input");
        check(2, new String[] {"kernel", "--net", NET, "--x1", x.toString(), "--x2", t.toString(), "--ntk", link.toString()}, "--ntk");
        check(2, new String[] {"kernel", "--net", NET, "--x1", x.toString(), "--nngp", m.toString(), "--var1", m.toString()}, "--var1");
        // the valid run writes both outputs, no temporary left
        check(0, with(predict, "--mean", m.toString(), "--var", dir.resolve("v.csv").toString()));
        assertTrue(Files.exists(m) && Files.exists(dir.resolve("v.csv")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }
}
