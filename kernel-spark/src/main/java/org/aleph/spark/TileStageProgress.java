package org.aleph.spark;

import org.aleph.kernel.scale.ScaleProgress;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;

/**
 * Reports the stage "train tiles" of a Spark solve while its first action computes and caches
 * the tiles: a daemon thread on the driver asks Spark's status tracker once a second how many
 * tasks (cached partitions) of the jobs started since {@link #start} have finished, and passes
 * that to the {@link ScaleProgress} (as kernel-scale's TileBuilder reports tiles). The jobs are
 * told apart by a job group set for the duration; closing clears the group (the caller reports
 * the end once the action succeeded).
 */
final class TileStageProgress implements AutoCloseable {

    private static final String GROUP = "aleph-train-tiles";
    private static final long POLL_MS = 1000;

    private final JavaSparkContext sc;
    private final int partitions;
    private final ScaleProgress progress;
    private final Thread poller;
    private volatile boolean done;

    private TileStageProgress(JavaSparkContext sc, int partitions, ScaleProgress progress) {
        this.sc = sc;
        this.partitions = partitions;
        this.progress = progress;
        this.poller = new Thread(this::poll, "aleph-spark-tile-progress");
        poller.setDaemon(true);
    }

    /** Starts following the jobs this thread runs until {@link #close}. */
    static TileStageProgress start(JavaSparkContext sc, int partitions, ScaleProgress progress) {
        TileStageProgress p = new TileStageProgress(sc, partitions, progress);
        sc.setJobGroup(GROUP, "Aleph: train tiles", false);
        progress.update("train tiles", 0, partitions);
        if (progress != ScaleProgress.NONE) {
            p.poller.start();
        }
        return p;
    }

    private void poll() {
        long last = -1;
        while (!done) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            long finished = finishedTasks();
            if (!done && finished != last && finished < partitions) {
                progress.update("train tiles", finished, partitions);
                last = finished;
            }
        }
    }

    /** Finished tasks of the group's jobs, at most the number of partitions. */
    private long finishedTasks() {
        JavaSparkStatusTracker tracker = sc.statusTracker();
        long finished = 0;
        for (int job : tracker.getJobIdsForGroup(GROUP)) {
            SparkJobInfo info = tracker.getJobInfo(job);
            if (info == null) {
                continue;
            }
            for (int stage : info.stageIds()) {
                SparkStageInfo s = tracker.getStageInfo(stage);
                if (s != null) {
                    finished += s.numCompletedTasks();
                }
            }
        }
        return Math.min(finished, partitions);
    }

    @Override
    public void close() {
        done = true;
        poller.interrupt();
        try {
            poller.join(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sc.clearJobGroup();
    }
}
