package dev.bridgework.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded store's file stays near the size of its live data under a load that rewrites the
 * same documents over and over while new ones keep arriving (the soak's shape: events appended,
 * sessions and counters rewritten). Each commit writes a new chunk; H2 reused a superseded chunk's
 * space only 45 s after writing it, and the appended documents leave a live page in some chunks,
 * which only compaction frees. The same load on the store as it ran before (H2's retention, no
 * compaction: {@link Compaction.Policy#unmanaged()}) is the control: its file must pass the bound
 * the managed one stays under, or this test proves nothing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CompactionTest {
  static final int HOT = 24;
  static final int ROUNDS = 1_200;
  static final int UPDATES_PER_ROUND = 4;
  /** Rounds sent at once: 20 updates in flight touch 20 different documents, so each one's last update is known. */
  static final int ROUNDS_AT_ONCE = 5;
  static final String HOT_TEXT = "h".repeat(4_000);
  static final String EVENT_TEXT = "e".repeat(3_000);

  /**
   * The server keeps a freed chunk's space for {@link Compaction.Policy#retentionMillis} (two seconds,
   * for power cuts), and this load writes a few hundred megabytes a second, so it would measure those
   * seconds rather than compaction; and the server leaves files under 16 MB and over a quarter live
   * alone, which this load's file (4 MB live) stays within by reuse alone. So the tests run the same
   * mechanism at their own scale: no retention, files from 4 MB, compacted below half live, 8 steps a look.
   */
  static final Compaction.Policy COMPACTING = new Compaction.Policy(250, 0, 4L << 20, 50, 2 << 20, 8, true);

  @Test
  void theFileStaysNearItsLiveDataAndKeepsEveryWrite(Vertx vertx) throws Exception {
    Load compacted = run(vertx, COMPACTING);
    Load control = run(vertx, Compaction.Policy.DEFAULT.unmanaged());
    System.out.printf("managed: live %,d B, largest file %,d B, closed %,d B, %d compaction steps; as before: largest file %,d B, closed %,d B%n",
        compacted.liveBytes, compacted.largestFile, compacted.closedFile, compacted.steps, control.largestFile, control.closedFile);

    // Live data three times over, plus a fixed margin: the smallest file compaction bothers with and
    // a few megabytes of chunks written between two looks.
    long bound = 3 * compacted.liveBytes + COMPACTING.minFileBytes() + (4 << 20);
    assertTrue(control.largestFile > bound, "the store as it ran before outgrows the bound (else this test proves nothing): "
        + control.largestFile + " <= " + bound);
    assertTrue(compacted.steps > 0, "compaction ran");
    assertTrue(compacted.largestFile <= bound, "the file stays within " + bound + " bytes: " + compacted.largestFile);
    assertTrue(compacted.closedFile <= bound, "the closed file is within " + bound + " bytes: " + compacted.closedFile);
  }

  /**
   * A file left large by a version that did not compact shrinks once the store is opened with
   * compaction, in its background steps, while writes go on (a trickle here: dead chunks are freed
   * by commits), and keeps every write.
   */
  @Test
  void aFileLeftLargeByAnOlderVersionShrinksAfterOpening(Vertx vertx) throws Exception {
    Path dir = Files.createTempDirectory("bw-compaction");
    Path file = dir.resolve("bridgework.mv.db");
    Database before = Database.startEmbedded(vertx, "bw", dir, Compaction.Policy.DEFAULT.unmanaged()).await();
    int[] lastUpdate = write(before.client(), 400);
    before.close().await();
    long large = Files.size(file);

    Database after = Database.startEmbedded(vertx, "bw", dir, COMPACTING).await();
    var settled = after.compaction().settled().toCompletableFuture();
    int trickle = 0;
    for (; trickle < 5_000 && !settled.isDone(); trickle++) {
      after.client().updateCollection("hot", new JsonObject().put("_id", "hot0"), new JsonObject().put("$inc", new JsonObject().put("trickle", 1))).await();
    }
    assertTrue(settled.isDone(), "compaction settled within 5,000 writes");
    long shrunk = Files.size(file);
    after.close().await();
    System.out.printf("left by an older version: %,d B; after opening with compaction and %d writes: %,d B%n", large, trickle, shrunk);

    Database reopened = Database.startEmbedded(vertx, "bw", dir, COMPACTING).await();
    long live = verify(reopened.client(), 400, lastUpdate);
    JsonObject hot0 = reopened.client().findOne("hot", new JsonObject().put("_id", "hot0"), null).await();
    assertEquals(trickle, hot0.getInteger("trickle", 0), "every write during the compaction is there");
    reopened.close().await();
    deleteRecursively(dir);
    long bound = 3 * live + COMPACTING.minFileBytes() + (4 << 20);
    assertTrue(large > bound, "the older version left a large file (else this proves nothing): " + large);
    assertTrue(shrunk <= bound, "the file shrank to within " + bound + " bytes: " + shrunk);
  }

  record Load(long liveBytes, long largestFile, long closedFile, long steps) {}

  /** Runs the load on a fresh file store with this policy, then checks every write after a reopen. */
  private Load run(Vertx vertx, Compaction.Policy policy) throws Exception {
    Path dir = Files.createTempDirectory("bw-compaction");
    Path file = dir.resolve("bridgework.mv.db");
    Database db = Database.startEmbedded(vertx, "bw", dir, policy).await();
    long[] largest = {0};
    int[] lastUpdate = write(db.client(), ROUNDS, () -> largest[0] = Math.max(largest[0], Files.size(file)));
    long steps = db.compaction() == null ? 0 : db.compaction().steps();
    db.close().await();
    long closed = Files.size(file);

    Database reopened = Database.startEmbedded(vertx, "bw", dir, policy).await();
    long live = verify(reopened.client(), ROUNDS, lastUpdate);
    reopened.close().await();
    deleteRecursively(dir);
    return new Load(live, largest[0], closed, steps);
  }

  interface Sample {
    void after() throws java.io.IOException;
  }

  private static int[] write(MongoClient mongo, int rounds) throws Exception {
    return write(mongo, rounds, () -> {});
  }

  /** Appends {@code rounds} events, rewriting four hot documents per event; answers each hot document's last update. */
  private static int[] write(MongoClient mongo, int rounds, Sample sample) throws Exception {
    for (int h = 0; h < HOT; h++) {
      mongo.insert("hot", new JsonObject().put("_id", "hot" + h).put("n", 0).put("text", HOT_TEXT)).await();
    }
    int[] lastUpdate = new int[HOT];
    List<Future<?>> inFlight = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      inFlight.add(mongo.insert("events", new JsonObject().put("_id", String.format("ev%06d", round)).put("round", round).put("text", EVENT_TEXT)));
      for (int u = 0; u < UPDATES_PER_ROUND; u++) {
        int h = (round * UPDATES_PER_ROUND + u) % HOT;
        int n = round * UPDATES_PER_ROUND + u + 1;
        lastUpdate[h] = n;
        // A different text each time: the whole document changes, as a re-encrypted record does.
        String text = HOT_TEXT.substring(0, HOT_TEXT.length() - 8) + String.format("%08d", n);
        inFlight.add(mongo.updateCollection("hot", new JsonObject().put("_id", "hot" + h),
            new JsonObject().put("$set", new JsonObject().put("n", n).put("text", text))));
      }
      if ((round + 1) % ROUNDS_AT_ONCE == 0 || round == rounds - 1) {
        Future.all(inFlight).await();
        inFlight.clear();
        sample.after();
      }
    }
    return lastUpdate;
  }

  /** Every appended document and each hot document's last update are there; answers the live data's size. */
  private static long verify(MongoClient mongo, int rounds, int[] lastUpdate) {
    List<JsonObject> events = mongo.findWithOptions("events", new JsonObject(), new FindOptions().setSort(new JsonObject().put("_id", 1))).await();
    assertEquals(rounds, events.size(), "every appended document is there after a reopen");
    for (int round = 0; round < rounds; round++) {
      assertEquals(round, events.get(round).getInteger("round"));
      assertEquals(EVENT_TEXT, events.get(round).getString("text"));
    }
    long live = 0;
    for (int h = 0; h < HOT; h++) {
      JsonObject doc = mongo.findOne("hot", new JsonObject().put("_id", "hot" + h), null).await();
      assertEquals(lastUpdate[h], doc.getInteger("n"), "the last update of each rewritten document is there");
      assertEquals(String.format("%08d", lastUpdate[h]), doc.getString("text").substring(HOT_TEXT.length() - 8));
      live += doc.encode().length();
    }
    for (JsonObject event : events) live += event.encode().length();
    return live;
  }

  /** The store as it ran before leaves hundreds of megabytes behind. */
  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
