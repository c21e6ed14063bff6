package dev.bridgework.bench;

import dev.bridgework.realtime.Stream;
import dev.bridgework.testing.Api;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Withdrawal cost against the size of the couple's history (docs/PERFORMANCE.md "Withdrawal"):
 * one couple, its stream grown to 100, 10,000 and 100,000 events, then shares (each with a
 * response) withdrawn over HTTP and timed. Prints figures; asserts nothing about time.
 *
 * <p>Run: {@code mvn -B -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.bridgework.bench.WithdrawalScale} (optional argument: the sizes).
 */
public final class WithdrawalScale {
  public static void main(String[] args) {
    long[] sizes = args.length > 0 ? Arrays.stream(args).mapToLong(Long::parseLong).toArray() : new long[]{100, 10_000, 100_000};
    // A program, not a test: it makes its own Vert.x, deploys the server on it and closes both.
    Vertx vertx = Vertx.vertx();
    try (TestServer server = TestServer.startOn(vertx, Map.of())) {
      Api alice = server.register("Alice");
      Api bob = server.register("Bob");
      String coupleId = Pairing.pair(alice, bob);
      Stream stream = Stream.couple(coupleId);
      System.out.printf("%-12s %-10s %-10s %-10s%n", "events", "median ms", "p90 ms", "max ms");
      for (long size : sizes) {
        grow(server, stream, size);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
          String id = UUID.randomUUID().toString();
          check(alice.put("/api/shares/" + id, new JsonObject().put("title", "t" + i).put("intent", "listen")
              .put("excerpts", new JsonArray().add(new JsonObject().put("text", "words " + i)))).statusCode(), 201);
          check(bob.put("/api/shares/" + id + "/responses/" + UUID.randomUUID(),
              new JsonObject().put("kind", "comment").put("text", "a reply")).statusCode(), 201);
          long t0 = System.nanoTime();
          check(alice.delete("/api/shares/" + id).statusCode(), 204);
          times.add((System.nanoTime() - t0) / 1_000_000);
        }
        times.sort(null);
        long head = server.app.events().head(stream).await();
        System.out.printf("%-12d %-10d %-10d %-10d%n", head, times.get(times.size() / 2), times.get(times.size() * 9 / 10),
            times.get(times.size() - 1));
      }
    } finally {
      vertx.close().await();
    }
    System.exit(0);
  }

  /** Appends unrelated share events until the stream holds {@code size} (as a long-lived couple's would). */
  private static void grow(TestServer server, Stream stream, long size) {
    long head = server.app.events().head(stream).await();
    while (head < size) {
      int batch = (int) Math.min(500, size - head);
      List<Future<JsonObject>> appends = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        appends.add(server.app.events().append(stream, "share.updated", new JsonObject().put("id", UUID.randomUUID().toString())
            .put("title", "history").put("excerpts", new JsonArray().add(new JsonObject().put("text", "an older share's words")))));
      }
      Future.all(appends).await();
      head += batch;
    }
  }

  private static void check(int status, int expected) {
    if (status != expected) throw new IllegalStateException("status " + status + ", expected " + expected);
  }
}
