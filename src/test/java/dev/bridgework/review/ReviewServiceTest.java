package dev.bridgework.review;

import dev.bridgework.realtime.Stream;
import dev.bridgework.testing.TestServer;
import dev.bridgework.web.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The review service on the real embedded database, Vault and event log, with the couple and
 * share features stood in for by {@link Joint} (their real HTTP flow is in {@link ReviewApiTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ReviewServiceTest {
  static TestServer server;
  static Joint joint;
  static ReviewService service;

  /** The couple and share features, reduced to what reviews read from them. */
  static final class Joint implements JointSpace {
    final Map<String, Couple> couples = new ConcurrentHashMap<>();
    final Map<String, List<JsonObject>> shares = new ConcurrentHashMap<>();

    @Override
    public Future<Couple> coupleOf(String userId) {
      return Future.succeededFuture(couples.values().stream().filter(c -> c.hasMember(userId)).findFirst().orElse(null));
    }

    @Override
    public Future<List<JsonObject>> sharesOf(String coupleId) {
      return Future.succeededFuture(List.copyOf(shares.getOrDefault(coupleId, List.of())));
    }

    @Override
    public Future<Void> reviewClosed(String coupleId, List<String> discussed, List<String> carriedOver, String at) {
      return Future.succeededFuture();
    }
  }

  record Pair(JointSpace.Couple couple, String alice, String bob) {}

  @BeforeAll
  static void start(Vertx vertx) {
    server = TestServer.startOn(vertx, Map.of());
    joint = new Joint();
    ReviewRepository repo = new ReviewRepository(server.mongo(), server.app.vault());
    repo.createIndexes().await();
    service = new ReviewService(repo, joint, server.app.events(), new BriefRenderer(), server.vertx, server.clock);
  }

  static Pair pair() {
    String alice = UUID.randomUUID().toString();
    String bob = UUID.randomUUID().toString();
    JointSpace.Couple couple = new JointSpace.Couple(UUID.randomUUID().toString(),
        List.of(new Brief.Member(alice, "Alice"), new Brief.Member(bob, "Bob")));
    joint.couples.put(couple.id(), couple);
    joint.shares.put(couple.id(), new CopyOnWriteArrayList<>());
    return new Pair(couple, alice, bob);
  }

  static String share(Pair p, String author, String title, boolean flagged, String createdAt) {
    String id = UUID.randomUUID().toString();
    joint.shares.get(p.couple().id()).add(new JsonObject().put("id", id).put("authorId", author).put("title", title)
        .put("excerpts", new JsonArray().add(new JsonObject().put("stepId", null).put("text", title + " excerpt")))
        .put("note", null).put("intent", "listen").put("counseling", flagged).put("responses", new JsonArray())
        .put("createdAt", createdAt).put("updatedAt", createdAt).put("version", 1));
    return id;
  }

  static List<String> agendaIds(Review r) {
    return r.agenda().stream().map(Review.AgendaItem::shareId).toList();
  }

  static ApiException failure(Future<?> future) {
    Throwable t = assertThrows(Throwable.class, future::await);
    assertTrue(t instanceof ApiException, String.valueOf(t));
    return (ApiException) t;
  }

  static List<JsonObject> coupleEvents(Pair p) {
    long head = server.app.events().head(Stream.couple(p.couple().id())).await();
    return head == 0 ? List.of() : server.app.events().read(Stream.couple(p.couple().id()), 1, head).await();
  }

  @Test
  void startSeedsTheAgendaWithFlaggedSharesOldestFirstAndOnlyOneIsOpen() {
    Pair p = pair();
    String newer = share(p, p.bob(), "newer", true, "2026-01-05T10:00:00.000Z");
    share(p, p.alice(), "not flagged", false, "2026-01-01T10:00:00.000Z");
    String older = share(p, p.alice(), "older", true, "2026-01-02T10:00:00.000Z");

    Review review = service.start(p.couple(), p.alice()).await();
    assertEquals(List.of(older, newer), agendaIds(review));
    assertEquals(Map.of(p.alice(), false, p.bob(), false), review.ready());
    assertEquals(p.alice(), review.startedBy());
    assertEquals(Review.OPEN, review.status());

    ApiException again = failure(service.start(p.couple(), p.bob()));
    assertEquals("review_open", again.code());
    assertEquals(review.toJson(), again.extra().getJsonObject("current"));
    assertEquals(1, service.list(p.couple().id()).await().size());
    assertEquals(review.toJson(), service.current(p.couple().id()).await().toJson());

    List<JsonObject> events = coupleEvents(p);
    assertEquals(1, events.size());
    assertEquals("review.started", events.get(0).getString("kind"));
    assertEquals(review.toJson(), events.get(0).getJsonObject("data"));
  }

  @Test
  void simultaneousStartsOpenExactlyOneReview() {
    Pair p = pair();
    List<Future<Review>> starts = new ArrayList<>();
    for (int i = 0; i < 6; i++) starts.add(service.start(p.couple(), i % 2 == 0 ? p.alice() : p.bob()));
    Future.join(starts).otherwiseEmpty().await();
    long won = starts.stream().filter(Future::succeeded).count();
    assertEquals(1, won);
    for (Future<Review> f : starts) {
      if (f.failed()) assertEquals("review_open", ((ApiException) f.cause()).code());
    }
    assertEquals(1, service.list(p.couple().id()).await().size());
    assertEquals(1L, server.mongo().count(ReviewRepository.REVIEWS, new JsonObject().put("coupleId", p.couple().id())).await());
  }

  @Test
  void agendaReordersAddsAndDropsKeepingNotesAndRefusesForeignShares() {
    Pair p = pair();
    Pair other = pair();
    String a = share(p, p.alice(), "a", true, "2026-01-01T10:00:00.000Z");
    String b = share(p, p.bob(), "b", true, "2026-01-02T10:00:00.000Z");
    String c = share(p, p.bob(), "c", false, "2026-01-03T10:00:00.000Z");
    String foreign = share(other, other.alice(), "foreign", true, "2026-01-01T10:00:00.000Z");
    Review review = service.start(p.couple(), p.alice()).await();
    service.setNote(p.couple(), p.bob(), review.id(), b, "Bob on b").await();

    Review changed = service.setAgenda(p.couple(), review.id(), List.of(c, b)).await();
    assertEquals(List.of(c, b), agendaIds(changed));
    assertEquals(Map.of(p.bob(), "Bob on b"), changed.agenda().get(1).notes());
    assertFalse(joint.shares.get(p.couple().id()).stream().filter(s -> s.getString("id").equals(c)).findFirst()
        .orElseThrow().getBoolean("counseling"), "adding to the agenda does not flag");

    ApiException refused = failure(service.setAgenda(p.couple(), review.id(), List.of(a, foreign)));
    assertEquals("invalid", refused.code());
    assertEquals("shareIds", refused.field());
    assertEquals(List.of(c, b), agendaIds(service.get(p.couple().id(), review.id()).await()));
  }

  @Test
  void notesBelongToTheirWriterAreSealedAtRestAndEmptyTextRemovesThem() {
    Pair p = pair();
    String a = share(p, p.alice(), "a", true, "2026-01-01T10:00:00.000Z");
    String off = share(p, p.alice(), "off", false, "2026-01-01T11:00:00.000Z");
    Review review = service.start(p.couple(), p.alice()).await();

    // Both partners write at the same moment: neither note is lost.
    Future<Review> fromAlice = service.setNote(p.couple(), p.alice(), review.id(), a, "Alice's secret-ish note");
    Future<Review> fromBob = service.setNote(p.couple(), p.bob(), review.id(), a, "Bob's note");
    Future.all(fromAlice, fromBob).await();
    Review stored = service.get(p.couple().id(), review.id()).await();
    assertEquals(Map.of(p.alice(), "Alice's secret-ish note", p.bob(), "Bob's note"), stored.agenda().get(0).notes());
    assertFalse(server.dumpDatabase().contains("secret-ish"), "notes are stored sealed");

    assertEquals("shareId", failure(service.setNote(p.couple(), p.alice(), review.id(), off, "x")).field());
    Review removed = service.setNote(p.couple(), p.alice(), review.id(), a, "").await();
    assertEquals(Map.of(p.bob(), "Bob's note"), removed.agenda().get(0).notes());
  }

  @Test
  void aClosedReviewIsReadOnlyAndANewOneCanStart() {
    Pair p = pair();
    String a = share(p, p.alice(), "a", true, "2026-01-01T10:00:00.000Z");
    Review review = service.start(p.couple(), p.alice()).await();
    service.setReady(p.couple(), p.bob(), review.id(), true).await();
    Review closed = service.close(p.couple(), review.id()).await();
    assertEquals(Review.CLOSED, closed.status());
    assertNotNull(closed.closedAt());
    assertEquals(closed.toJson(), service.close(p.couple(), review.id()).await().toJson(), "closing again changes nothing");
    assertNull(service.current(p.couple().id()).await());

    assertEquals("review_closed", failure(service.setNote(p.couple(), p.alice(), review.id(), a, "late")).code());
    assertEquals("review_closed", failure(service.setReady(p.couple(), p.alice(), review.id(), true)).code());
    assertEquals("review_closed", failure(service.setAgenda(p.couple(), review.id(), List.of())).code());
    // Saying what is already so is harmless, even on a closed review.
    assertEquals(closed.toJson(), service.setReady(p.couple(), p.bob(), review.id(), true).await().toJson());

    server.clock.advance(java.time.Duration.ofMinutes(1)); // newest first needs two different start times
    Review next = service.start(p.couple(), p.bob()).await();
    assertEquals(List.of(next.id(), review.id()), service.list(p.couple().id()).await().stream().map(Review::id).toList());
  }

  @Test
  void withdrawalRemovesTheItemAndItsNotesEverywhereIncludingHistory() {
    Pair p = pair();
    String a = share(p, p.alice(), "a", true, "2026-01-01T10:00:00.000Z");
    String b = share(p, p.bob(), "b", true, "2026-01-02T10:00:00.000Z");
    Review first = service.start(p.couple(), p.alice()).await();
    service.setNote(p.couple(), p.bob(), first.id(), a, "WITHDRAWN-NOTE-1").await();
    service.close(p.couple(), first.id()).await();
    Review open = service.start(p.couple(), p.alice()).await();
    service.setNote(p.couple(), p.alice(), open.id(), a, "WITHDRAWN-NOTE-2").await();
    service.setNote(p.couple(), p.alice(), open.id(), b, "kept note").await();

    joint.shares.get(p.couple().id()).removeIf(s -> s.getString("id").equals(a));
    service.shareWithdrawn(p.couple().id(), a).await();

    assertEquals(List.of(b), agendaIds(service.get(p.couple().id(), open.id()).await()));
    assertEquals(List.of(b), agendaIds(service.get(p.couple().id(), first.id()).await()));
    List<JsonObject> events = coupleEvents(p);
    JsonObject last = events.get(events.size() - 1);
    assertEquals("review.updated", last.getString("kind"));
    assertEquals(1, last.getJsonObject("data").getJsonArray("agenda").size());
    String history = new JsonArray(events).encode();
    assertFalse(history.contains("WITHDRAWN-NOTE"), history);
    assertFalse(history.contains(a), history);
    assertTrue(history.contains("kept note"));
  }

  @Test
  void dissolutionErasesEveryReviewOfTheCouple() {
    Pair p = pair();
    share(p, p.alice(), "a", true, "2026-01-01T10:00:00.000Z");
    Review first = service.start(p.couple(), p.alice()).await();
    service.close(p.couple(), first.id()).await();
    service.start(p.couple(), p.alice()).await();
    Pair other = pair();
    Review kept = service.start(other.couple(), other.bob()).await();

    service.coupleDissolved(p.couple().id()).await();
    assertEquals(0L, server.mongo().count(ReviewRepository.REVIEWS, new JsonObject().put("coupleId", p.couple().id())).await());
    assertNull(server.mongo().findOne(ReviewRepository.SLOTS, new JsonObject().put("_id", p.couple().id()), null).await());
    assertEquals(kept.toJson(), service.current(other.couple().id()).await().toJson());
  }

  @Test
  void anotherCouplesReviewIsNotFound() {
    Pair p = pair();
    Pair other = pair();
    Review review = service.start(p.couple(), p.alice()).await();
    assertEquals("not_found", failure(service.get(other.couple().id(), review.id())).code());
    assertEquals("not_found", failure(service.setReady(other.couple(), other.alice(), review.id(), true)).code());
    assertEquals("not_found", failure(service.brief(other.couple(), review.id(), "md")).code());
    assertEquals(Map.of(p.alice(), false, p.bob(), false), service.get(p.couple().id(), review.id()).await().ready());
  }

  @Test
  void theBriefHoldsOnlyTheAgendaInOrder() {
    Pair p = pair();
    String a = share(p, p.alice(), "Alpha item", true, "2026-01-01T10:00:00.000Z");
    String b = share(p, p.bob(), "Bravo item", true, "2026-01-02T10:00:00.000Z");
    share(p, p.bob(), "Off agenda item", false, "2026-01-03T10:00:00.000Z");
    Review review = service.start(p.couple(), p.alice()).await();
    service.setAgenda(p.couple(), review.id(), List.of(b, a)).await();
    service.setNote(p.couple(), p.alice(), review.id(), a, "Alice notes alpha").await();

    String md = service.brief(p.couple(), review.id(), "md").await().body().toString();
    assertTrue(md.indexOf("## 1. Bravo item") > 0 && md.indexOf("## 2. Alpha item") > md.indexOf("## 1. Bravo item"), md);
    assertTrue(md.contains("- **Alice:** Alice notes alpha"), md);
    assertFalse(md.contains("Off agenda item"), md);
    assertEquals("invalid", failure(service.brief(p.couple(), review.id(), "docx")).code());
    BriefFile pdf = service.brief(p.couple(), review.id(), "pdf").await();
    assertEquals("application/pdf", pdf.contentType());
    assertTrue(pdf.fileName().matches("bridgework-brief-\\d{4}-\\d{2}-\\d{2}\\.pdf"), pdf.fileName());
  }
}
