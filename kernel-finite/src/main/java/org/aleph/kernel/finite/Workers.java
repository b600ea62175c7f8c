package org.aleph.kernel.finite;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads that run the tasks {@code 0 .. tasks-1} of one loop, the
 * calling thread included. Each task writes only its own outputs, so the result does not
 * depend on which thread ran which task; reductions are done by the caller afterwards in a
 * fixed order. A call from inside a worker runs inline (no nested parallelism, no deadlock),
 * and small loops run inline because handing them out would cost more than they do.
 */
final class Workers {

    /** Below this many multiply-adds a loop runs on the calling thread. */
    static final long MIN_PARALLEL_WORK = 1L << 17;

    private static final Map<Integer, Workers> CACHE = new ConcurrentHashMap<>();
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final int threads;
    private final ExecutorService pool;

    private Workers(int threads) {
        this.threads = threads;
        this.pool = threads <= 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "aleph-finite");
            t.setDaemon(true);
            return t;
        });
    }

    /** The shared workers for a thread count (at least 1). */
    static Workers of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return CACHE.computeIfAbsent(threads, Workers::new);
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code task.accept(i)} for every i in [0, tasks).
     *
     * @param work the approximate number of multiply-adds of the whole loop
     */
    void run(int tasks, long work, IntConsumer task) {
        if (threads == 1 || tasks <= 1 || work < MIN_PARALLEL_WORK || INSIDE.get()) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable loop = () -> {
            boolean was = INSIDE.get();
            INSIDE.set(Boolean.TRUE);
            try {
                for (int i = next.getAndIncrement(); i < tasks && failure.get() == null; i = next.getAndIncrement()) {
                    task.accept(i);
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                INSIDE.set(was);
            }
        };
        int helpers = Math.min(threads - 1, tasks - 1);
        Future<?>[] futures = new Future<?>[helpers];
        for (int h = 0; h < helpers; h++) {
            futures[h] = pool.submit(loop);
        }
        loop.run();
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running a finite network", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a worker failed", e.getCause());
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
