package dev.bridgework.review;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.CommandRecorder;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards the database work of a review note ({@code PUT /api/reviews/{id}/notes/{shareId}}), the
 * way {@code ShareCommandBudgetTest} guards the share path ({@link CommandRecorder}). A review change
 * takes the share create's short way: the review read once beside its slot and the stream's
 * counter, the change listed and written unjournaled, the event's durable insert their commit, the
 * clean-up after the answer. Measured: 13-16 commands in 7-8 round trips, 2 commits (the event and
 * the notification activity); before issue #19's second round, 23 commands in 19 round trips with
 * 11 commits.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ReviewNoteCommandBudgetTest {
  /**
   * 7-8 measured; one more allowed: the clean-up after the event starts beside the note's last read
   * (is the share still there?), so on a loaded machine its second step can end before the answer
   * arrives and count as one of the request's round trips.
   */
  static final int MAX_ROUND_TRIPS = 9;
  static final int MAX_COMMITS = 2;

  static final CommandRecorder RECORDER = new CommandRecorder();
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx, Map.of("notify.scanInterval", "1h", "housekeeping.interval", "1h"), RECORDER)
        .onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReviewNoteStaysWithinItsRoundTripAndCommitBudget() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Pairing.pair(alice, bob);
    List<String> shares = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      shares.add(UUID.randomUUID().toString());
      assertEquals(201, alice.put("/api/shares/" + shares.get(i), new JsonObject().put("title", "Share " + i)
          .put("excerpts", new JsonArray().add(new JsonObject().put("text", "What I noticed"))).put("intent", "listen")).statusCode());
    }
    String review = alice.post("/api/reviews", new JsonObject()).bodyAsJsonObject().getString("id");
    assertEquals(200, alice.put("/api/reviews/" + review + "/agenda", new JsonObject().put("shareIds", new JsonArray(shares))).statusCode());

    List<CommandRecorder.Measured> measured = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String path = "/api/reviews/" + review + "/notes/" + shares.get(i % 2);
      JsonObject note = new JsonObject().put("text", "Note " + i + ": I would like us to talk about this one first.");
      CommandRecorder.Measured m = RECORDER.measure(() -> alice.putAsync(path, note));
      assertEquals(200, m.answer().statusCode(), m.answer().bodyAsString());
      assertTrue(m.wrote("reviews"), "the review was written: " + m.report());
      assertTrue(m.wrote("events"), "its event was stored: " + m.report());
      if (i < 2) continue; // warm-up: the caches fill
      System.out.println("Review note: " + m.report());
      measured.add(m);
    }
    // Stored as answered: the partner reads the last note.
    JsonObject stored = bob.get("/api/reviews/" + review).bodyAsJsonObject();
    assertTrue(stored.encode().contains("Note 5:"), stored.encode());
    CommandRecorder.Measured worst = measured.stream().max(Comparator.comparingInt(CommandRecorder.Measured::roundTrips)
        .thenComparingInt(CommandRecorder.Measured::commits)).orElseThrow();
    assertTrue(worst.roundTrips() <= MAX_ROUND_TRIPS, "round trips over budget: " + worst.report());
    assertTrue(worst.commits() <= MAX_COMMITS, "commits over budget: " + worst.report());
  }
}
