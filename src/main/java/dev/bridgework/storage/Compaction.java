package dev.bridgework.storage;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keeps the embedded store's file near the size of its live data. The store commits itself (auto-commit
 * is off, see {@link DurableH2Backend}), so H2's background housekeeping never runs: every commit
 * writes a new chunk, a chunk's space is reused only once nothing in it is live (and, by H2's
 * default, 45 s after it was written), and a chunk holding one cold page among superseded ones
 * stays for good. The file grew without bound (2.5 GB in three minutes of the soak).
 *
 * <p>Two things keep it bounded. A chunk's space is reused two seconds after nothing refers to it
 * ({@link Policy#retentionMillis}), not 45 s. H2's 45 s are there for a power cut: a chunk must not be
 * overwritten before the commit that stopped referring to it is on the disk, else the file on disk
 * could point at pages already overwritten. H2 leaves that to the operating system's write-back;
 * here the file is forced to disk once a second (every fourth look), so a chunk freed two seconds ago
 * was let go of by a commit that is on disk. And on its own thread, every
 * {@link Policy#intervalMillis}, when the file is larger than {@link Policy#minFileBytes} and less
 * than {@link Policy#targetFillRate} percent of it is live, this runs short compaction steps: the
 * live pages of the emptiest chunks are rewritten and committed (their old chunks become free), and
 * when the file has holes, chunks near its end are moved into them so it can be truncated. Each
 * step holds the store alone (no command, no commit beside it: it rewrites pages) and rewrites or
 * moves at most {@link Policy#stepBytes}, so writers wait for one step, not for the whole compaction.
 * A file left large by an older version shrinks the same way, in steps, while the server serves.
 */
final class Compaction implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);

  /**
   * {@code intervalMillis}: how often the file is forced to disk and its fill rate looked at;
   * {@code retentionMillis}: how long a chunk nothing refers to any more keeps its space (see the
   * class comment: longer than a look, so the commit that let go of it is on disk first);
   * {@code minFileBytes}: smaller files are left alone; {@code targetFillRate}: compact while less
   * than this percentage of the file is live data; {@code stepBytes}: at most this much rewritten or
   * moved by one step; {@code stepsPerRun}: steps per look at most; {@code managed} false: neither
   * compaction nor the shorter retention, the store as it ran before (tests compare against it).
   */
  record Policy(long intervalMillis, long retentionMillis, long minFileBytes, int targetFillRate, int stepBytes, int stepsPerRun,
                boolean managed) {
    /**
     * Chunks are freed by reuse after two seconds; compaction only collects what reuse leaves, chunks
     * kept by a few live pages, once the file is four times its live data: a step then frees at least
     * three bytes per byte it rewrites. Rewriting is not free (every page is encoded again, holding the
     * store alone): at half live and 8 steps per look it took a fifth of the server's CPU under the
     * benchmark's load and tripled its p99 (docs/PERFORMANCE.md "The embedded store's file").
     */
    static final Policy DEFAULT = new Policy(250, 2000, 16L << 20, 25, 2 << 20, 2, true);

    Policy unmanaged() {
      return new Policy(intervalMillis, retentionMillis, minFileBytes, targetFillRate, stepBytes, stepsPerRun, false);
    }
  }

  /** Runs work while no command and no commit runs ({@link DurableH2Backend#alone}). */
  interface Exclusive {
    boolean alone(BooleanSupplier work);
  }

  private final MVStore store;
  private final Exclusive exclusive;
  private final Policy policy;
  private final ScheduledExecutorService thread;
  private long steps;
  private long looks;
  /** The file is forced to disk at every {@code SYNC_EVERY_LOOKS}th look. */
  private static final int SYNC_EVERY_LOOKS = 4;
  /** Whether the last look found the file worth compacting. */
  private boolean needed;
  /** Completed by the first look that finds the file within the policy (tests wait for it). */
  private final CompletableFuture<Void> settled = new CompletableFuture<>();

  private Compaction(MVStore store, Exclusive exclusive, Policy policy) {
    this.store = store;
    this.exclusive = exclusive;
    this.policy = policy;
    this.thread = Executors.newSingleThreadScheduledExecutor(run -> {
      Thread t = new Thread(run, "bridgework-store-compaction");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts compacting a file-backed store in the background; null for an in-memory one. */
  static Compaction start(MVStore store, Exclusive exclusive, Policy policy) {
    if (store.getFileStore() == null || !policy.managed()) return null;
    // H2 keeps a superseded chunk for 45 s by default before reusing its space, trusting the
    // operating system to have written the file within that time: at the soak's rate that alone is
    // hundreds of megabytes. Here the file is forced to disk once a second instead, so a chunk's
    // space need only wait a little longer than that (Policy.retentionMillis).
    store.setRetentionTime((int) policy.retentionMillis());
    Compaction compaction = new Compaction(store, exclusive, policy);
    compaction.thread.scheduleWithFixedDelay(compaction::run, policy.intervalMillis(), policy.intervalMillis(), TimeUnit.MILLISECONDS);
    return compaction;
  }

  /** Compaction steps run so far (tests look at it). */
  synchronized long steps() {
    return steps;
  }

  /** Completes once a look finds the file within the policy (at once when it already is). */
  CompletionStage<Void> settled() {
    return settled;
  }

  private synchronized void run() {
    try {
      // Outside the exclusive section: forcing the file needs no lock, and commands go on meanwhile.
      // Once a second (every fourth look at the default), well within the two seconds' retention.
      if (!store.isClosed() && looks++ % SYNC_EVERY_LOOKS == 0) store.sync();
      for (int i = 0; i < policy.stepsPerRun() && !store.isClosed() && exclusive.alone(this::stepIfNeeded); i++) {
        steps++;
      }
      if (!needed) settled.complete(null);
    } catch (RuntimeException e) {
      if (!store.isClosed()) LOG.warn("Compacting the embedded store failed; trying again in {} ms", policy.intervalMillis(), e);
    }
  }

  /** One bounded step, if the file is worth it; false when there was nothing (more) to do. */
  private boolean stepIfNeeded() {
    if (store.isClosed()) return false;
    FileStore<?> file = store.getFileStore();
    int chunksFill = file.getChunksFillRate();
    int fileFill = file.getFillRate();
    needed = file.size() >= policy.minFileBytes() && chunksFill * fileFill / 100 < policy.targetFillRate();
    if (!needed) return false;
    boolean rewritten = chunksFill < policy.targetFillRate() && store.compact(policy.targetFillRate(), policy.stepBytes());
    if (rewritten) store.commit();
    long before = file.size();
    if (fileFill < policy.targetFillRate() && file instanceof RandomAccessStore movable) {
      movable.compactMoveChunks(policy.targetFillRate(), policy.stepBytes(), store);
    }
    return rewritten || file.size() < before;
  }

  /** Stops the thread, waiting for a step under way. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) LOG.warn("A compaction step did not finish within 30 s of closing");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
