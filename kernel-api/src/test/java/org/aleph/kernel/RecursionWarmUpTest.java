package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.GramProvider;
import org.aleph.kernel.spi.Provenance;
import org.junit.jupiter.api.Test;

/**
 * The recursion warm-up ({@link RecursionWarmUp}) runs beside the Gram and changes nothing:
 * the kernels are bit for bit those of a computation without it, an activation's failure
 * during the warm-up surfaces only as the real tiles' error, and the thread ends.
 */
class RecursionWarmUpTest {

    /** Relu whose calls on the warm-up thread are counted and open a latch. */
    private static class Watched implements Activation {
        final AtomicInteger warmUpCalls = new AtomicInteger();
        final CountDownLatch warmedUp = new CountDownLatch(1);

        @Override
        public String name() {
            return "Relu";
        }

        @Override
        public double phi(double x) {
            return TestActivations.RELU.phi(x);
        }

        @Override
        public double dphi(double x) {
            return TestActivations.RELU.dphi(x);
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            if (Thread.currentThread().getName().equals("aleph-warm-up")) {
                warmUpCalls.incrementAndGet();
                warmedUp.countDown();
            }
            TestActivations.RELU.expectations(q11, q12, q22, n, nngp, dnngp);
        }

        @Override
        public Provenance provenance() {
            return Provenance.closedForm("test");
        }
    }

    /** A Gram in index order that starts only once the warm-up has called the activation (or after 10 s). */
    private static GramProvider waitingFor(CountDownLatch latch) {
        return new GramProviderPathTest.Sequential() {
            @Override
            public void gram(double[] x1, int n1, double[] x2, int n2, int d, double[] out) {
                try {
                    latch.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.gram(x1, n1, x2, n2, d, out);
            }
        };
    }

    private static Network network(Activation act) {
        ActivationRegistry registry = ActivationRegistry.of(List.of(new org.aleph.kernel.builtin.IdentityProvider(),
                TestActivations.provider("Relu", act), TestActivations.provider("Erf", TestActivations.ERF)));
        return Network.parse("Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Dropout(0.8) Dense(1, 0.1) Residual(Erf Dense(1, 0.1)) Relu Dense(1, 0)",
                registry);
    }

    @org.junit.jupiter.api.BeforeEach
    void coldJvm() {
        RecursionWarmUp.forget();
    }

    @Test
    void kernelsAreTheSameBitsWithAndWithoutTheWarmUp() {
        SplittableRandom rnd = new SplittableRandom(11);
        Matrix x1 = Matrix.of(RandomCases.inputs(rnd, 150, 250));
        Matrix x2 = Matrix.of(RandomCases.inputs(rnd, 130, 250));
        for (Matrix b : new Matrix[] {null, x2}) {
            RecursionWarmUp.forget();
            Watched warm = new Watched();
            KernelResult with = new KernelComputer(network(warm), 2, (d, t) -> { }, waitingFor(warm.warmedUp))
                    .warmUpFrom(0).compute(x1, b);
            Watched cold = new Watched();
            KernelResult without = new KernelComputer(network(cold), 2, (d, t) -> { }, waitingFor(new CountDownLatch(0)))
                    .warmUpFrom(Long.MAX_VALUE).compute(x1, b);
            assertTrue(warm.warmUpCalls.get() > 0, "the warm-up ran beside the Gram");
            assertEquals(0, cold.warmUpCalls.get(), "no warm-up below the threshold");
            assertArrayEquals(without.nngp().data(), with.nngp().data(), 0.0);
            assertArrayEquals(without.ntk().data(), with.ntk().data(), 0.0);
            assertArrayEquals(without.var1(), with.var1(), 0.0);
            assertArrayEquals(without.var2(), with.var2(), 0.0);
        }
    }

    @Test
    void warmUpStopsWithTheGram() throws InterruptedException {
        Watched warm = new Watched();
        SplittableRandom rnd = new SplittableRandom(5);
        Matrix x1 = Matrix.of(RandomCases.inputs(rnd, 120, 300));
        new KernelComputer(network(warm), 2, (d, t) -> { }, waitingFor(warm.warmedUp)).warmUpFrom(0).compute(x1, null);
        int atEnd = warm.warmUpCalls.get();
        assertTrue(atEnd > 0 && atEnd <= RecursionWarmUp.MAX_CALLS, "warm-up calls " + atEnd);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (warmUpThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(warmUpThreadAlive(), "the warm-up thread ended");
        assertTrue(warm.warmUpCalls.get() <= atEnd + 1, "at most the call in progress after the Gram");
    }

    @Test
    void aSecondLargeComputationOfTheSameActivationsStartsNone() {
        SplittableRandom rnd = new SplittableRandom(13);
        Matrix x1 = Matrix.of(RandomCases.inputs(rnd, 110, 400));
        Watched first = new Watched();
        new KernelComputer(network(first), 2, (d, t) -> { }, waitingFor(first.warmedUp)).warmUpFrom(0).compute(x1, null);
        assertTrue(first.warmUpCalls.get() > 0, "the first computation warms up");
        Watched second = new Watched();
        KernelResult again = new KernelComputer(network(second), 2, (d, t) -> { }, waitingFor(new CountDownLatch(0)))
                .warmUpFrom(0).compute(x1, null);
        assertEquals(0, second.warmUpCalls.get(), "compiled already: no warm-up");
        RecursionWarmUp.forget();
        KernelResult cold = new KernelComputer(network(new Watched()), 2, (d, t) -> { }, waitingFor(new CountDownLatch(0)))
                .warmUpFrom(Long.MAX_VALUE).compute(x1, null);
        assertArrayEquals(cold.ntk().data(), again.ntk().data(), 0.0);
    }

    private static boolean warmUpThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("aleph-warm-up") && t.isAlive());
    }

    @Test
    void aFailingActivationReportsTheRealTilesErrorOnly() {
        Watched failing = new Watched() {
            @Override
            public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
                super.expectations(q11, q12, q22, n, nngp, dnngp);
                throw new UserErrorException("Relu failed on purpose");
            }
        };
        SplittableRandom rnd = new SplittableRandom(7);
        Matrix x1 = Matrix.of(RandomCases.inputs(rnd, 100, 500));
        Network net = network(failing);
        UserErrorException withWarmUp = assertThrows(UserErrorException.class,
                () -> new KernelComputer(net, 2, (d, t) -> { }, waitingFor(failing.warmedUp)).warmUpFrom(0).compute(x1, null));
        UserErrorException without = assertThrows(UserErrorException.class,
                () -> new KernelComputer(net, 2, (d, t) -> { }, waitingFor(new CountDownLatch(0))).warmUpFrom(Long.MAX_VALUE).compute(x1, null));
        assertTrue(failing.warmUpCalls.get() > 0, "the warm-up met the failure first");
        assertEquals(without.getMessage(), withWarmUp.getMessage());
    }
}
