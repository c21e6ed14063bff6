package dev.bridgework.realtime;

import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.prompt.PromptCatalog;
import dev.bridgework.prompt.PromptService;
import dev.bridgework.share.ShareService;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.FaultyMongo;
import dev.bridgework.testing.TestServer;
import dev.bridgework.web.ApiException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "No change without its event" for answer-apart prompts (issue #13): the connection breaks
 * between a prompt's write and its event, and the event is completed exactly once afterwards, by
 * the retry or by the sweep. The reveal is the hard case: two events ({@code share.created} for the
 * pair, then {@code prompt.revealed}) after one write, and a retry that finds the prompt revealed.
 *
 * <p>The services are built as Application builds them, over the running server's database, but
 * through {@link FaultyMongo}, whose writes into a chosen collection fail while armed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class PromptEventFaultTest {
  static final String PROMPT = "mirror-small-moment";
  static TestServer server;
  static FaultyMongo faulty;
  static EventLog log;
  static CoupleRepository couples;
  static PromptService prompts;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    // Wired on a worker: the prompt catalog is read from the classpath, never on an event loop.
    TestServer.start(vertx).compose(started -> vertx.executeBlocking(() -> wire(started)))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The services under test, on the real store reached through {@link FaultyMongo}. */
  static TestServer wire(TestServer started) {
    server = started;
    faulty = new FaultyMongo(server.mongo());
    log = new EventLog(server.vertx, faulty.client, server.clock, server.app.vault());
    couples = new CoupleRepository(faulty.client);
    ShareService shares = new ShareService(faulty.client, couples, server.app.vault(), log, server.clock, server.app.catalog(), List.of());
    prompts = new PromptService(faulty.client, PromptCatalog.loadFromClasspath(), shares, server.app.vault(), log, couples, server.clock);
    return started;
  }

  record Pair(Api alice, Api bob, Couple couple) {}

  static Pair pair() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    return new Pair(alice, bob, couples.findCouple(Couples.pair(alice, bob)).await());
  }

  static List<JsonObject> gapless(Stream stream) {
    return StoredStream.gapless(server.app.events(), stream);
  }

  static long count(Stream stream, String kind, String id) {
    return StoredStream.count(server.app.events(), stream, kind, id);
  }

  static JsonObject answers(String text) {
    return new JsonObject().put("moment", text);
  }

  @Test
  void proposalWhoseEventFailsIsCompletedOnceByTheRetryAndThePartnerSeesItOnce() {
    Pair p = pair();
    Stream stream = Stream.couple(p.couple().id());
    String id = UUID.randomUUID().toString();
    try (Ws bob = Ws.live(p.bob())) {
      faulty.failNext(5, "events");
      assertThrows(Exception.class, () -> prompts.propose(p.couple(), p.alice().id(), id, PROMPT).await());
      faulty.heal();
      bob.assertQuiet();
      // The same request again: answered as the prompt that is there, and its event completed.
      PromptService.Saved again = prompts.propose(p.couple(), p.alice().id(), id, PROMPT).await();
      assertEquals(id, again.prompt().getString("id"));
      JsonObject event = bob.next("event");
      assertEquals("prompt.proposed", event.getString("kind"));
      assertEquals(id, event.getJsonObject("data").getString("id"));
      bob.assertQuiet();
    }
    assertEquals(1, count(stream, "prompt.proposed", id));
    prompts.propose(p.couple(), p.alice().id(), id, PROMPT).await();
    assertEquals(1, count(stream, "prompt.proposed", id));
    assertEquals(0, log.outbox().pending().all().await().size());
  }

  @Test
  void answerWhoseEventCannotBeNumberedIsCompletedOnceByTheSweep() {
    Pair p = pair();
    Stream stream = Stream.couple(p.couple().id());
    String id = UUID.randomUUID().toString();
    prompts.propose(p.couple(), p.alice().id(), id, PROMPT).await();
    faulty.failNext(100, "streams");
    assertThrows(Exception.class, () -> prompts.answer(p.couple(), p.alice().id(), id, answers("mine")).await());
    faulty.heal();
    assertEquals(0, count(stream, "prompt.updated", id));
    try (Ws bob = Ws.live(p.bob())) {
      assertEquals(1, log.outbox().sweep(Duration.ZERO).await());
      JsonObject event = bob.next("event");
      assertEquals("prompt.updated", event.getString("kind"));
      assertEquals(true, event.getJsonObject("data").getJsonObject("answered").getBoolean(p.alice().id()),
          "the event says what is stored: Alice has answered");
      bob.assertQuiet();
    }
    assertEquals(0, log.outbox().sweep(Duration.ZERO).await());
    assertEquals(1, count(stream, "prompt.updated", id));
  }

  @Test
  void revealWhoseEventsFailIsAnnouncedOnceShareFirstByTheRetry() {
    Pair p = pair();
    Stream stream = Stream.couple(p.couple().id());
    String id = UUID.randomUUID().toString();
    prompts.propose(p.couple(), p.alice().id(), id, PROMPT).await();
    prompts.answer(p.couple(), p.alice().id(), id, answers("alice's moment")).await();
    try (Ws alice = Ws.live(p.alice())) {
      // Bob's answer completes the pair; every event write of the reveal fails.
      faulty.failNext(5, "events");
      assertThrows(Exception.class, () -> prompts.answer(p.couple(), p.bob().id(), id, answers("bob's moment")).await());
      faulty.heal();
      alice.assertQuiet();
      // Bob's client retries: the prompt is revealed (409 with it), and the reveal's events are completed first.
      CompletionException retry = assertThrows(CompletionException.class,
          () -> prompts.answer(p.couple(), p.bob().id(), id, answers("bob's moment")).toCompletionStage().toCompletableFuture().join());
      assertTrue(retry.getCause() instanceof ApiException api && api.status() == 409, "the retry finds it revealed: " + retry.getCause());
      JsonObject created = alice.next("event");
      assertEquals("share.created", created.getString("kind"), "the pair share first");
      assertEquals("pair", created.getJsonObject("data").getString("kind"));
      String pairId = created.getJsonObject("data").getString("id");
      JsonObject revealed = alice.next("event");
      assertEquals("prompt.revealed", revealed.getString("kind"), "then the reveal");
      assertEquals(pairId, revealed.getJsonObject("data").getString("shareId"));
      alice.assertQuiet();
      assertEquals(1, count(stream, "share.created", pairId));
    }
    assertEquals(1, count(stream, "prompt.revealed", id));
    assertEquals(0, log.outbox().sweep(Duration.ZERO).await());
    assertEquals(0, log.outbox().pending().all().await().size());
    assertEquals(1, count(stream, "prompt.revealed", id));
  }

  @Test
  void cancelWhoseEventFailsIsAnsweredAsDoneByTheRetryAndAnnouncedOnce() {
    Pair p = pair();
    Stream stream = Stream.couple(p.couple().id());
    String id = UUID.randomUUID().toString();
    prompts.propose(p.couple(), p.alice().id(), id, PROMPT).await();
    faulty.failNext(5, "events");
    assertThrows(Exception.class, () -> prompts.cancel(p.couple(), id).await());
    faulty.heal();
    prompts.cancel(p.couple(), id).await();
    assertEquals(1, count(stream, "prompt.cancelled", id));
    CompletionException again = assertThrows(CompletionException.class,
        () -> prompts.cancel(p.couple(), id).toCompletionStage().toCompletableFuture().join());
    assertTrue(again.getCause() instanceof ApiException api && api.status() == 404, "cancelled once: then it is gone");
    assertEquals(1, count(stream, "prompt.cancelled", id));
  }
}
