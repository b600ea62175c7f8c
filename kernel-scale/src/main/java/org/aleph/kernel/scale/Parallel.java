package org.aleph.kernel.scale;

import java.util.function.IntConsumer;

/**
 * Runs {@code workers} tasks, task w on its own daemon thread except the last, which runs on the
 * calling thread, and waits for all; the first failure of any task is rethrown. Each task is
 * given its index, so that work is shared out in fixed shares (the same on every run).
 */
final class Parallel {

    private Parallel() {
    }

    static void run(int workers, String name, IntConsumer task) {
        Thread[] pool = new Thread[workers];
        Throwable[] failure = new Throwable[workers];
        for (int w = 0; w < workers - 1; w++) {
            int id = w;
            pool[w] = new Thread(() -> {
                try {
                    task.accept(id);
                } catch (RuntimeException | Error e) {
                    failure[id] = e;
                }
            }, name + "-" + w);
            pool[w].setDaemon(true);
            pool[w].start();
        }
        task.accept(workers - 1);
        for (Thread th : pool) {
            if (th != null) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + name, e);
                }
            }
        }
        for (Throwable f : failure) {
            if (f instanceof RuntimeException e) {
                throw e;
            }
            if (f instanceof Error e) {
                throw e;
            }
        }
    }
}
