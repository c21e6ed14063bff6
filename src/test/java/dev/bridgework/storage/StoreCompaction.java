package dev.bridgework.storage;

import org.h2.mvstore.MVStore;

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
