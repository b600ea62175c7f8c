package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every user mistake ends with status 2 and one sentence on standard error that names the
 * place (file:line and column, spec column, option), without a stack trace.
 */
class BadInputTest {

    static final String NET = "Dense(1.5,0.05) Relu Dense(1,0)";

    @TempDir
    Path dir;

    private Cli.Result kernel(String csv, String... more) throws IOException {
        return kernelWith(NET, csv, more);
    }

    private Cli.Result kernelWith(String net, String csv, String... more) throws IOException {
        Path x = dir.resolve("in.csv");
        Files.writeString(x, csv);
        String[] args = new String[4 + more.length];
        args[0] = "kernel";
        args[1] = "--x1";
        args[2] = x.toString();
        args[3] = "--net=" + net;
        System.arraycopy(more, 0, args, 4, more.length);
        return Cli.run(args);
    }

    private static void userError(Cli.Result r, String... fragments) {
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.noStackTrace(), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertEquals("", r.out(), r::toString);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), () -> "expected '" + f + "' in\n" + r);
        }
    }

    @Test
    void raggedRowNamesFileLineAndTheFirstRow() throws IOException {
        userError(kernel("# header comment\n1,2,3\n\n4,5\n"), "in.csv:4:", "2 values", "line 2", "3");
    }

    @Test
    void inALongFileTheFirstMistakeInFileOrderIsReported() throws IOException {
        // 2000 lines are parsed in parallel blocks; mistakes on lines 1500 (too many values) and 1900 (not a number).
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            b.append(i == 1500 ? "1,2,3,4" : i == 1900 ? "1,x,3" : i + ",0.5,-1").append('\n');
        }
        userError(kernel(b.toString()), "in.csv:1500:", "4 values", "line 1) has 3");
    }

    @Test
    void nonNumberNamesFileLineAndColumn() throws IOException {
        userError(kernel("1,2,3\n4,abc,6\n"), "in.csv:2: column 2", "'abc' is not a number");
    }

    @Test
    void javaOnlyNumberSyntaxIsNotAccepted() throws IOException {
        // Double.parseDouble would take "2f" as 2.0 and "0x1p3" as 8.0; a CSV reader must not guess.
        userError(kernel("1,2f\n"), "in.csv:1: column 2", "'2f' is not a number");
        userError(kernel("0x1p3,1\n"), "in.csv:1: column 1", "'0x1p3' is not a number");
    }

    @Test
    void headerLineIsANonNumberOnLine1() throws IOException {
        userError(kernel("a,b\n1,2\n"), "in.csv:1: column 1", "not a number");
    }

    @Test
    void spaceSeparatedValuesGetAHint() throws IOException {
        userError(kernel("1 2 3\n"), "in.csv:1: column 1", "separate values with commas");
    }

    @Test
    void nanAndInfinityAreRejectedWithTheirPlace() throws IOException {
        userError(kernel("1,2\n3,NaN\n"), "in.csv:2: column 2", "not a finite number");
        userError(kernel("1,2\n-Infinity,0\n"), "in.csv:2: column 1", "not a finite number");
        userError(kernel("1,2\n1e999,0\n"), "in.csv:2: column 1", "not a finite number");
        userError(kernel("1,2\n3,inf\n"), "in.csv:2: column 2", "'inf' is not a finite number");
        userError(kernel("1,2\n-nan,0\n"), "in.csv:2: column 1", "not a finite number");
    }

    @Test
    void emptyValueAndTrailingComma() throws IOException {
        userError(kernel("1,,3\n"), "in.csv:1: column 2", "empty");
        userError(kernel("1,2,\n"), "in.csv:1: column 3", "trailing comma");
    }

    @Test
    void emptyFileAndCommentOnlyFile() throws IOException {
        userError(kernel(""), "in.csv", "no numbers", "empty");
        userError(kernel("# nothing\n\n   \n"), "in.csv", "no numbers", "comment");
    }

    @Test
    void missingFileNamesOptionAndPath() {
        userError(Cli.run("kernel", "--net", NET, "--x1", dir.resolve("nope.csv").toString()), "--x1", "nope.csv", "no such file");
    }

    @Test
    void unknownInputExtension() throws IOException {
        Path x = dir.resolve("x.txt");
        Files.writeString(x, "1,2\n");
        userError(Cli.run("kernel", "--net", NET, "--x1", x.toString()), "--x1", "'.txt'", ".csv or .npy");
    }

    @Test
    void widthMismatchNamesBothFiles() throws IOException {
        Path b = dir.resolve("b.csv");
        Files.writeString(b, "1,2\n");
        userError(kernel("1,2,3\n", "--x2", b.toString()), "--x2", "b.csv", "2 columns", "in.csv", "has 3");
    }

    @Test
    void specErrorsNameTheColumn() throws IOException {
        userError(kernelWith("Dense(1.5,0.05) Rleu Dense(1,0)", "1,2\n"), "spec column 17", "Rleu", "Relu");
        userError(kernelWith("Dense(1.5,0.05 Relu", "1,2\n"), "spec column");
        userError(kernelWith("", "1,2\n"), "spec column 1", "empty");
    }

    @Test
    void dropoutParameterisationAndEpsMistakesNameTheColumn() throws IOException {
        userError(kernelWith("Dense Relu Dropout(1) Dense", "1,2\n"), "spec column 12", "Dropout", "[0, 1)");
        userError(kernelWith("Dense Relu Dropout(-0.5) Dense", "1,2\n"), "spec column 12", "[0, 1)");
        userError(kernelWith("Dense Relu Dropout(NaN) Dense", "1,2\n"), "spec column 20", "not a finite number");
        userError(kernelWith("Dropout(0.1) Dense", "1,2\n"), "spec column 1", "input data");
        userError(kernelWith("Dense(1, 0, parameterization=mean_field)", "1,2\n"), "spec column 1", "ntk or standard");
        userError(kernelWith("Dense Relu Dense(1, 0, parameterization=standard)", "1,2\n"), "spec column 12", "width=N");
        userError(kernelWith("Dense LayerNorm(eps=-0.1) Dense", "1,2\n"), "spec column 7", "eps", "non-negative");
    }

    @Test
    void negativeWStdIsASpecError() throws IOException {
        userError(kernelWith("Dense(-1, 0) Relu", "1,2\n"), "spec column 1", "W_std", "non-negative");
    }

    @Test
    void picocliParameterErrorsAreOneSentenceWithStatus2() throws IOException {
        userError(Cli.run("kernel", "--x1", "x.csv"), "--net");
        userError(kernel("1,2\n", "--threads", "zero"), "--threads");
        userError(kernel("1,2\n", "--threads", "0"), "--threads 0", "must lie in 1..");
        userError(kernel("1,2\n", "--nggp", "k.csv"), "--nggp");
        userError(Cli.run("kernal"), "kernal", "kernel");
    }

    @Test
    void badOutputsAreRejectedBeforeAnyWork() throws IOException {
        userError(kernel("1,2\n", "--nngp", dir.resolve("k.txt").toString()), "--nngp", "'.txt'");
        userError(kernel("1,2\n", "--ntk", dir.resolve("missing/t.csv").toString()), "--ntk", "does not exist");
        userError(kernel("1,2\n", "--nngp", dir.resolve("k.csv").toString(), "--ntk", dir.resolve("k.csv").toString()),
                "--ntk", "already another output");
        userError(kernel("1,2\n", "--nngp", dir.resolve("in.csv").toString()), "--nngp", "overwrite an input");
        userError(kernel("1,2\n", "--var2", dir.resolve("v.csv").toString()), "--var2 needs --x2");
    }

    @Test
    void kernelsLargerThanTheHeapAreRefusedBeforeAllocation() throws IOException {
        // 40000 x 40000 kernels need 25.6 GB; the test JVM has -Xmx4g.
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            b.append(i % 7).append('\n');
        }
        userError(kernel(b.toString()), "40000 x 40000 kernels need 25.6 GB", "ALEPH_JAVA_OPTS=-Xmx");
    }

    @Test
    void npyMistakesNameTheFile() throws IOException {
        Path notNpy = dir.resolve("x.npy");
        Files.writeString(notNpy, "1,2,3\n4,5,6\n");
        userError(Cli.run("kernel", "--net", NET, "--x1", notNpy.toString()), "x.npy", "not a NumPy .npy file");
        Path truncated = dir.resolve("t.npy");
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
        dict += " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        byte[] header = ("\u0093NUMPY\u0001\u0000" + (char) dict.length() + "\u0000" + dict + "abcdefgh")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(truncated, header); // one double of six
        userError(Cli.run("kernel", "--net", NET, "--x1", truncated.toString()), "t.npy", "truncated", "48 bytes");
    }
}
