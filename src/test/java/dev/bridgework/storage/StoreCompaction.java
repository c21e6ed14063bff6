package dev.bridgework.storage;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

import java.nio.file.Path;

/**
 * Compacts an embedded store file offline, opened exactly as the app opens it
 * ({@link DurableH2Backend#open}: our document and index formats) but without the app's background
 * {@link Compaction} (H2's {@code compactFile} takes the store for itself), for the benchmark's data
 * generator: after its bulk inserts this rewrites the file into one about the size of the live data
 * before the set is copied for a run.
 */
public final class StoreCompaction {
  private StoreCompaction() {}

  /**
   * Compacts {@code <dataDir>/bridgework.mv.db} for at most {@code maxMillis}; answers the fill rate
   * before and after (%). H2's {@code compactFile} alone leaves a bulk-written file at its size when
   * its chunks are full but scattered, so the steps the server's {@link Compaction} takes follow, unbounded
   * in size: the emptiest chunks rewritten, then chunks moved into holes so the file is truncated.
   */
  public static int[] compact(Path dataDir, int maxMillis) {
    DurableH2Backend backend = DurableH2Backend.open(dataDir.resolve("bridgework.mv.db").toString(), null);
    MVStore store = backend.getMvStore();
    int before = store.getFillRate();
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    store.compactFile(maxMillis);
    store.setRetentionTime(0);
    FileStore<?> file = store.getFileStore();
    while (System.nanoTime() < deadline) {
      long size = file.size();
      boolean rewritten = store.compact(90, 64 << 20);
      store.commit();
      if (file instanceof RandomAccessStore movable) movable.compactMoveChunks(90, 256L << 20, store);
      if (!rewritten && file.size() >= size) break;
    }
    int after = store.getFillRate();
    store.close(maxMillis);
    return new int[] {before, after};
  }

  /** Compacts the data directory given as the argument (a generated benchmark set after a format change, say). */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long before = dir.resolve("bridgework.mv.db").toFile().length();
    long started = System.nanoTime();
    int[] fill = compact(dir, 1_800_000);
    System.out.printf("compacted %s: %.1f MiB -> %.1f MiB in %.1f s (fill rate %d%% -> %d%%)%n", dir, before / 1048576.0,
        dir.resolve("bridgework.mv.db").toFile().length() / 1048576.0, (System.nanoTime() - started) / 1e9, fill[0], fill[1]);
  }
}
