package dev.bridgework.storage;

import org.h2.mvstore.MVStore;

import java.nio.file.Path;

/**
 * Compacts an embedded store file offline, opened exactly as the app opens it
 * ({@link DurableH2Backend#open}: our document and index formats), for the benchmark's data
 * generator: bulk inserts leave the file mostly old chunks (the app commits before every reply and
 * runs no background compaction), which H2's own compaction rewrites into a file about the size of
 * the live data.
 */
public final class StoreCompaction {
  private StoreCompaction() {}

  /** Compacts {@code <dataDir>/bridgework.mv.db} for at most {@code maxMillis}; answers the fill rate before and after (%). */
  public static int[] compact(Path dataDir, int maxMillis) {
    DurableH2Backend backend = DurableH2Backend.open(dataDir.resolve("bridgework.mv.db").toString(), null);
    MVStore store = backend.getMvStore();
    int before = store.getFillRate();
    store.compactFile(maxMillis);
    int after = store.getFillRate();
    store.close(maxMillis);
    return new int[] {before, after};
  }
}
