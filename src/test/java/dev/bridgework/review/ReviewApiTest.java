package dev.bridgework.review;

import dev.bridgework.realtime.Stream;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.Inbox;
import dev.bridgework.testing.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The joint review over real HTTP, with real couples and shares, against the real embedded database. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ReviewApiTest {
  static final String XSS = "<img src=x onerror=alert(1)>";
  static final String WORLD = "Ça va — 你好 — שלום";
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  // ------------------------------------------------------------------ helpers

  record Couple(Api alice, Api bob, String id) {}

  static Couple couple() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    var created = alice.post("/api/couple", new JsonObject());
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String code = created.bodyAsJsonObject().getJsonObject("invite").getString("code");
    var joined = bob.post("/api/couple/join", new JsonObject().put("code", code));
    assertEquals(200, joined.statusCode(), joined.bodyAsString());
    return new Couple(alice, bob, joined.bodyAsJsonObject().getJsonObject("couple").getString("id"));
  }

  static String share(Api author, String title, String intent, String note, String... excerpts) {
    String id = UUID.randomUUID().toString();
    JsonArray ex = new JsonArray();
    for (String text : excerpts) ex.add(new JsonObject().put("text", text));
    JsonObject body = new JsonObject().put("title", title).put("excerpts", ex).put("intent", intent);
    if (note != null) body.put("note", note);
    var r = author.put("/api/shares/" + id, body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    server.clock.advance(Duration.ofSeconds(1)); // so "oldest first" has an order to follow
    return id;
  }

  static void flag(Api api, String shareId, boolean flag) {
    var r = api.put("/api/shares/" + shareId + "/counseling", new JsonObject().put("flag", flag));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  static void respond(Api api, String shareId, JsonObject response) {
    var r = api.put("/api/shares/" + shareId + "/responses/" + UUID.randomUUID(), response);
    assertEquals(201, r.statusCode(), r.bodyAsString());
  }

  static JsonObject ok(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static String error(HttpResponse<Buffer> r, int status) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  static JsonObject startReview(Api api) {
    var r = api.post("/api/reviews", new JsonObject());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    server.clock.advance(Duration.ofSeconds(1));
    return r.bodyAsJsonObject();
  }

  static List<String> agenda(JsonObject review) {
    return review.getJsonArray("agenda").stream().map(o -> ((JsonObject) o).getString("shareId")).toList();
  }

  static JsonObject note(JsonObject review, String shareId) {
    return review.getJsonArray("agenda").stream().map(o -> (JsonObject) o)
        .filter(i -> i.getString("shareId").equals(shareId)).findFirst().orElseThrow().getJsonObject("notes");
  }

  static JsonObject storedReview(String id) {
    return server.mongo().findOne(ReviewRepository.REVIEWS, new JsonObject().put("_id", id), null).await();
  }

  static List<JsonObject> coupleEvents(String coupleId) {
    Stream stream = Stream.couple(coupleId);
    long head = server.app.events().head(stream).await();
    return head == 0 ? List.of() : server.app.events().read(stream, 1, head).await();
  }

  static List<JsonObject> reviewEvents(String coupleId) {
    return coupleEvents(coupleId).stream().filter(e -> e.getString("kind").startsWith("review.")).toList();
  }

  static HttpResponse<Buffer> brief(Api api, String reviewId, String format) {
    return api.get("/api/reviews/" + reviewId + "/brief" + (format == null ? "" : "?format=" + format));
  }

  static String pdfText(HttpResponse<Buffer> r) throws Exception {
    try (PDDocument doc = Loader.loadPDF(r.body().getBytes())) {
      return new PDFTextStripper().getText(doc);
    }
  }

  // ------------------------------------------------------------------ the lifecycle

  @Test
  void twoPartnersRunAWholeReviewFromStartToClose() {
    Couple c = couple();
    String older = share(c.alice(), "Dinner went quiet", "respond", null, "I felt alone at the table.");
    String unflagged = share(c.bob(), "Work trip", "listen", null, "I'm nervous about the trip.");
    String newer = share(c.bob(), "The weekend", "discuss", null, "I want us to plan it together.");
    flag(c.bob(), older, true);
    flag(c.alice(), newer, true);
    String partnerId = c.bob().id();

    JsonObject review = startReview(c.alice());
    String id = review.getString("id");
    assertEquals("open", review.getString("status"));
    assertEquals(List.of(older, newer), agenda(review));
    assertEquals(new JsonObject().put(c.alice().id(), false).put(partnerId, false), review.getJsonObject("ready"));
    assertEquals(c.alice().id(), review.getString("startedBy"));
    assertNotNull(review.getString("createdAt"));
    assertNull(review.getValue("closedAt"));
    assertTrue(review.containsKey("closedAt"));

    // The partner sees the same open review, and cannot open a second one.
    assertEquals(review, ok(c.bob().get("/api/reviews/current")));
    var second = c.bob().post("/api/reviews", new JsonObject());
    assertEquals("review_open", error(second, 409));
    assertEquals(review, second.bodyAsJsonObject().getJsonObject("current"));

    // Bob reorders and adds an unflagged share; adding does not flag it.
    JsonObject reordered = ok(c.bob().put("/api/reviews/" + id + "/agenda",
        new JsonObject().put("shareIds", new JsonArray().add(newer).add(older).add(unflagged))));
    assertEquals(List.of(newer, older, unflagged), agenda(reordered));
    assertFalse(ok(c.bob().get("/api/shares/" + unflagged)).getBoolean("counseling"));

    ok(c.alice().put("/api/reviews/" + id + "/notes/" + older, new JsonObject().put("text", "Start here, gently.")));
    ok(c.bob().put("/api/reviews/" + id + "/notes/" + older, new JsonObject().put("text", "I want to understand.")));
    JsonObject readyAlice = ok(c.alice().put("/api/reviews/" + id + "/ready", new JsonObject().put("ready", true)));
    assertEquals(new JsonObject().put(c.alice().id(), true).put(partnerId, false), readyAlice.getJsonObject("ready"));
    JsonObject bothReady = ok(c.bob().put("/api/reviews/" + id + "/ready", new JsonObject().put("ready", true)));
    assertEquals(new JsonObject().put(c.alice().id(), true).put(partnerId, true), bothReady.getJsonObject("ready"));
    assertEquals(new JsonObject().put(c.alice().id(), "Start here, gently.").put(partnerId, "I want to understand."),
        note(bothReady, older));

    JsonObject closed = ok(c.bob().post("/api/reviews/" + id + "/close", new JsonObject()));
    assertEquals("closed", closed.getString("status"));
    assertNotNull(closed.getString("closedAt"));
    assertEquals(closed, ok(c.alice().get("/api/reviews/" + id)));
    assertEquals("not_found", error(c.alice().get("/api/reviews/current"), 404));
    assertEquals(closed, ok(c.bob().post("/api/reviews/" + id + "/close", new JsonObject())), "closing again is harmless");

    // Every change reached the couple stream in order, with the review as data.
    List<JsonObject> events = reviewEvents(c.id());
    assertEquals(List.of("review.started", "review.updated", "review.updated", "review.updated", "review.updated",
        "review.updated", "review.closed"), events.stream().map(e -> e.getString("kind")).toList());
    assertEquals(review, events.get(0).getJsonObject("data"));
    assertEquals(closed, events.get(events.size() - 1).getJsonObject("data"));

    // A new review can start; the list is newest first.
    JsonObject next = startReview(c.bob());
    JsonArray list = ok(c.alice().get("/api/reviews")).getJsonArray("reviews");
    assertEquals(List.of(next.getString("id"), id), list.stream().map(o -> ((JsonObject) o).getString("id")).toList());
  }

  @Test
  void thePartnersDevicesHearEveryChangeLiveInOrder() throws Exception {
    Couple c = couple();
    String s = share(c.alice(), "Live item", "respond", null, "text");
    flag(c.alice(), s, true);
    // What the real-time gateway relays to both partners' sockets: the couple stream's live events.
    Inbox<JsonObject> live = new Inbox<>();
    var consumer = server.vertx.eventBus().<JsonObject>consumer(Stream.couple(c.id()).address(), m -> live.add(m.body()));
    consumer.completion().await();
    try {
      String id = startReview(c.alice()).getString("id");
      JsonObject noted = ok(c.bob().put("/api/reviews/" + id + "/notes/" + s, new JsonObject().put("text", "heard live")));
      JsonObject closed = ok(c.alice().post("/api/reviews/" + id + "/close", new JsonObject()));
      List<JsonObject> relayed = live.take(3, event -> true, event -> {}, Duration.ofSeconds(10));
      JsonObject started = relayed.get(0);
      JsonObject updated = relayed.get(1);
      JsonObject ended = relayed.get(2);
      assertEquals("review.started", started.getString("kind"));
      assertEquals(id, started.getJsonObject("data").getString("id"));
      assertEquals("review.updated", updated.getString("kind"));
      assertEquals(noted, updated.getJsonObject("data"));
      assertEquals("review.closed", ended.getString("kind"));
      assertEquals(closed, ended.getJsonObject("data"));
      assertEquals(started.getLong("seq") + 1, updated.getLong("seq"));
      assertEquals(updated.getLong("seq") + 1, ended.getLong("seq"));
    } finally {
      consumer.unregister().await();
    }
  }

  @Test
  void aRepeatedChangeIsHarmlessAndAddsNoEvent() {
    Couple c = couple();
    String s = share(c.alice(), "Something", "listen", null, "text");
    flag(c.alice(), s, true);
    String id = startReview(c.alice()).getString("id");
    JsonObject first = ok(c.bob().put("/api/reviews/" + id + "/notes/" + s, new JsonObject().put("text", "same")));
    int events = reviewEvents(c.id()).size();
    assertEquals(first, ok(c.bob().put("/api/reviews/" + id + "/notes/" + s, new JsonObject().put("text", "same"))));
    assertEquals(first, ok(c.bob().put("/api/reviews/" + id + "/agenda", new JsonObject().put("shareIds", new JsonArray().add(s)))));
    assertEquals(events, reviewEvents(c.id()).size());
  }

  // ------------------------------------------------------------------ the agenda's rules

  @Test
  void theAgendaRefusesSharesOfAnotherCoupleUnknownIdsAndDuplicatesAndChangesNothing() {
    Couple c = couple();
    Couple other = couple();
    String mine = share(c.alice(), "Mine", "listen", null, "text");
    flag(c.alice(), mine, true);
    String theirs = share(other.alice(), "Theirs", "listen", null, "their text");
    String id = startReview(c.alice()).getString("id");
    JsonObject before = storedReview(id);
    String path = "/api/reviews/" + id + "/agenda";

    for (JsonArray ids : List.of(new JsonArray().add(mine).add(theirs), new JsonArray().add(UUID.randomUUID().toString()),
        new JsonArray().add(mine).add(mine), new JsonArray().add("not-a-uuid"), new JsonArray().add(7))) {
      var r = c.bob().put(path, new JsonObject().put("shareIds", ids));
      assertEquals("invalid", error(r, 400), ids.encode());
      assertEquals("shareIds", r.bodyAsJsonObject().getJsonObject("error").getString("field"));
    }
    assertEquals("invalid", error(c.bob().put(path, new JsonObject()), 400));
    assertEquals("invalid", error(c.bob().put(path, new JsonObject().put("shareIds", "nope")), 400));
    assertEquals("invalid", error(c.bob().put(path, new JsonObject().put("shareIds", new JsonArray()).put("extra", 1)), 400));
    assertEquals(before, storedReview(id));
    assertEquals(1, reviewEvents(c.id()).size());

    // An empty agenda is allowed (the couple may clear it and start over).
    assertEquals(List.of(), agenda(ok(c.bob().put(path, new JsonObject().put("shareIds", new JsonArray())))));
  }

  @Test
  void eachPartnerWritesOnlyTheirOwnNoteAndNotesAreSealedAtRest() {
    Couple c = couple();
    String on = share(c.alice(), "On the agenda", "respond", null, "text");
    String off = share(c.bob(), "Not on the agenda", "listen", null, "text");
    flag(c.alice(), on, true);
    String id = startReview(c.alice()).getString("id");
    String base = "/api/reviews/" + id + "/notes/";

    ok(c.alice().put(base + on, new JsonObject().put("text", "ALICE-PRIVATE-ISH-NOTE")));
    JsonObject review = ok(c.bob().put(base + on, new JsonObject().put("text", "Bob's view")));
    assertEquals(new JsonObject().put(c.alice().id(), "ALICE-PRIVATE-ISH-NOTE").put(c.bob().id(), "Bob's view"), note(review, on));
    // Bob writing again changes only Bob's note; Alice's stays hers.
    review = ok(c.bob().put(base + on, new JsonObject().put("text", "Bob, revised")));
    assertEquals("ALICE-PRIVATE-ISH-NOTE", note(review, on).getString(c.alice().id()));
    // Empty text removes the caller's own note only.
    review = ok(c.bob().put(base + on, new JsonObject().put("text", "")));
    assertEquals(new JsonObject().put(c.alice().id(), "ALICE-PRIVATE-ISH-NOTE"), note(review, on));
    // Server-set fields echoed back are ignored; naming someone else is not a thing.
    review = ok(c.bob().put(base + on, new JsonObject().put("text", "Bob again").put("userId", c.alice().id())));
    assertEquals("ALICE-PRIVATE-ISH-NOTE", note(review, on).getString(c.alice().id()));
    assertEquals("Bob again", note(review, on).getString(c.bob().id()));

    JsonObject before = storedReview(id);
    var notOnAgenda = c.alice().put(base + off, new JsonObject().put("text", "x"));
    assertEquals("invalid", error(notOnAgenda, 400));
    assertEquals("shareId", notOnAgenda.bodyAsJsonObject().getJsonObject("error").getString("field"));
    assertEquals("invalid", error(c.alice().put(base + "nope", new JsonObject().put("text", "x")), 400));
    assertEquals("invalid", error(c.alice().put(base + on, new JsonObject()), 400));
    assertEquals("invalid", error(c.alice().put(base + on, new JsonObject().put("text", 5)), 400));
    assertEquals("invalid", error(c.alice().put(base + on, new JsonObject().put("text", "x".repeat(20_001))), 400));
    assertEquals(before, storedReview(id));

    String dump = server.dumpDatabase();
    assertFalse(dump.contains("ALICE-PRIVATE-ISH-NOTE"), "notes (and the events carrying them) are stored sealed");
  }

  @Test
  void readyFlagsArePerPartnerAndValidated() {
    Couple c = couple();
    String id = startReview(c.bob()).getString("id");
    String path = "/api/reviews/" + id + "/ready";
    JsonObject r = ok(c.bob().put(path, new JsonObject().put("ready", true)));
    assertEquals(new JsonObject().put(c.alice().id(), false).put(c.bob().id(), true), r.getJsonObject("ready"));
    r = ok(c.bob().put(path, new JsonObject().put("ready", false)));
    assertEquals(new JsonObject().put(c.alice().id(), false).put(c.bob().id(), false), r.getJsonObject("ready"));
    assertEquals("invalid", error(c.alice().put(path, new JsonObject().put("ready", "yes")), 400));
    assertEquals("invalid", error(c.alice().put(path, new JsonObject()), 400));
    assertEquals(r, ok(c.alice().get("/api/reviews/" + id)));
  }

  @Test
  void aClosedReviewIsReadOnly() {
    Couple c = couple();
    String s = share(c.alice(), "Item", "listen", null, "text");
    flag(c.alice(), s, true);
    String id = startReview(c.alice()).getString("id");
    JsonObject closed = ok(c.alice().post("/api/reviews/" + id + "/close", new JsonObject()));
    int events = coupleEvents(c.id()).size();

    assertEquals("review_closed", error(c.bob().put("/api/reviews/" + id + "/agenda", new JsonObject().put("shareIds", new JsonArray())), 409));
    assertEquals("review_closed", error(c.bob().put("/api/reviews/" + id + "/notes/" + s, new JsonObject().put("text", "late")), 409));
    assertEquals("review_closed", error(c.bob().put("/api/reviews/" + id + "/ready", new JsonObject().put("ready", true)), 409));
    assertEquals(closed, ok(c.bob().get("/api/reviews/" + id)));
    assertEquals(events, coupleEvents(c.id()).size());
    assertEquals(201, c.bob().post("/api/reviews", new JsonObject()).statusCode());
  }

  @Test
  void myExportHoldsMyOwnReviewNotesAndNotMyPartners() {
    Couple c = couple();
    String s = share(c.alice(), "Exported item", "listen", null, "text");
    flag(c.alice(), s, true);
    String id = startReview(c.alice()).getString("id");
    ok(c.alice().put("/api/reviews/" + id + "/notes/" + s, new JsonObject().put("text", "ALICE-EXPORT-NOTE")));
    ok(c.bob().put("/api/reviews/" + id + "/notes/" + s, new JsonObject().put("text", "BOB-EXPORT-NOTE")));

    var r = c.alice().get("/api/me/export");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray notes = r.bodyAsJsonObject().getJsonArray("reviewNotes");
    assertEquals(1, notes.size());
    assertEquals(id, notes.getJsonObject(0).getString("reviewId"));
    assertEquals(new JsonArray().add(new JsonObject().put("shareId", s).put("text", "ALICE-EXPORT-NOTE")),
        notes.getJsonObject(0).getJsonArray("notes"));
    assertFalse(r.bodyAsString().contains("BOB-EXPORT-NOTE"), "the partner's note belongs to the partner");
  }

  // ------------------------------------------------------------------ withdrawal and dissolution

  @Test
  void withdrawingAShareDuringAReviewRemovesTheItemAndItsNotesEverywhere() throws Exception {
    Couple c = couple();
    String gone = share(c.alice(), "WITHDRAWN-TITLE", "respond", "WITHDRAWN-AUTHOR-NOTE", "WITHDRAWN-EXCERPT");
    String kept = share(c.bob(), "Kept item", "listen", null, "kept excerpt");
    flag(c.alice(), gone, true);
    flag(c.bob(), kept, true);
    String id = startReview(c.alice()).getString("id");
    ok(c.alice().put("/api/reviews/" + id + "/notes/" + gone, new JsonObject().put("text", "WITHDRAWN-NOTE-ALICE")));
    ok(c.bob().put("/api/reviews/" + id + "/notes/" + gone, new JsonObject().put("text", "WITHDRAWN-NOTE-BOB")));
    ok(c.bob().put("/api/reviews/" + id + "/notes/" + kept, new JsonObject().put("text", "kept note")));

    assertEquals(204, c.alice().delete("/api/shares/" + gone).statusCode());

    JsonObject review = ok(c.bob().get("/api/reviews/" + id));
    assertEquals(List.of(kept), agenda(review));
    assertEquals(new JsonObject().put(c.bob().id(), "kept note"), note(review, kept));
    List<JsonObject> events = reviewEvents(c.id());
    JsonObject last = events.get(events.size() - 1);
    assertEquals("review.updated", last.getString("kind"));
    assertEquals(review, last.getJsonObject("data"));
    for (JsonObject event : events) {
      assertFalse(agenda(event.getJsonObject("data")).contains(gone), "no stored review event still lists the share");
    }
    String history = new JsonArray(coupleEvents(c.id())).encode();
    for (String secret : List.of("WITHDRAWN-NOTE", "WITHDRAWN-TITLE", "WITHDRAWN-EXCERPT", "WITHDRAWN-AUTHOR-NOTE")) {
      assertFalse(history.contains(secret), secret + " left in the event history");
    }
    String dump = server.dumpDatabase();
    assertFalse(dump.contains("WITHDRAWN-"), "the withdrawn share's text left a trace in the database");

    // Briefs generated afterwards hold none of it.
    for (String format : List.of("md", "html")) {
      String body = brief(c.bob(), id, format).bodyAsString();
      assertFalse(body.contains("WITHDRAWN-"), format + ": " + body);
      assertTrue(body.contains("Kept item"), format);
    }
    String pdf = pdfText(brief(c.bob(), id, "pdf"));
    assertFalse(pdf.contains("WITHDRAWN-"), pdf);
    assertTrue(pdf.contains("Kept item"), pdf);
  }

  @Test
  void leavingTheJointSpaceErasesEveryReview() {
    Couple c = couple();
    String s = share(c.alice(), "Item", "listen", null, "text");
    flag(c.alice(), s, true);
    String first = startReview(c.alice()).getString("id");
    ok(c.alice().put("/api/reviews/" + first + "/notes/" + s, new JsonObject().put("text", "a note")));
    ok(c.alice().post("/api/reviews/" + first + "/close", new JsonObject()));
    String second = startReview(c.bob()).getString("id");

    assertEquals(204, c.bob().delete("/api/couple").statusCode());
    assertEquals(0L, server.mongo().count(ReviewRepository.REVIEWS, new JsonObject().put("coupleId", c.id())).await());
    assertNull(server.mongo().findOne(ReviewRepository.SLOTS, new JsonObject().put("_id", c.id()), null).await());
    assertEquals("not_paired", error(c.alice().get("/api/reviews"), 409));
    assertEquals("not_found", error(c.alice().get("/api/reviews/" + first), 404));
    assertEquals("not_found", error(c.bob().get("/api/reviews/" + second), 404));
  }

  // ------------------------------------------------------------------ the brief

  @Test
  void theBriefInEveryFormatHoldsExactlyTheAgendaInOrder() throws Exception {
    Couple c = couple();
    // Private work that must never appear.
    var reflection = c.alice().saveReflection(UUID.randomUUID().toString(), "free-blank-page",
        new JsonObject().put("on-your-mind", "PRIVATE-REFLECTION-TEXT"), "draft", null);
    assertEquals(201, reflection.statusCode(), reflection.bodyAsString());
    String first = share(c.alice(), "First: dinner", "respond", "Author note on dinner", "I felt alone.", WORLD);
    String second = share(c.bob(), "Second " + XSS, "discuss", null, XSS, "**bold?** # heading?");
    share(c.bob(), "UNFLAGGED-OFF-AGENDA", "listen", null, "UNFLAGGED-EXCERPT");
    flag(c.alice(), first, true);
    flag(c.bob(), second, true);
    respond(c.bob(), first, new JsonObject().put("kind", "ack").put("ack", "hear_you"));
    respond(c.bob(), first, new JsonObject().put("kind", "comment").put("text", "Bob's comment on dinner"));
    String id = startReview(c.alice()).getString("id");
    ok(c.alice().put("/api/reviews/" + id + "/notes/" + first, new JsonObject().put("text", "Alice's session note")));
    ok(c.bob().put("/api/reviews/" + id + "/notes/" + first, new JsonObject().put("text", "Bob's session note")));
    ok(c.bob().put("/api/reviews/" + id + "/notes/" + second, new JsonObject().put("text", "Note " + XSS)));
    String date = ok(c.alice().get("/api/reviews/" + id)).getString("createdAt").substring(0, 10);

    var md = brief(c.bob(), id, "md");
    assertEquals(200, md.statusCode());
    assertEquals("text/markdown; charset=utf-8", md.getHeader("Content-Type"));
    assertEquals("attachment; filename=\"bridgework-brief-" + date + ".md\"", md.getHeader("Content-Disposition"));
    var html = brief(c.alice(), id, "html");
    assertEquals(200, html.statusCode());
    assertEquals("text/html; charset=utf-8", html.getHeader("Content-Type"));
    assertEquals("inline; filename=\"bridgework-brief-" + date + ".html\"", html.getHeader("Content-Disposition"));
    assertEquals(BriefRenderer.HTML_CSP, html.getHeader("Content-Security-Policy"));
    var pdf = brief(c.alice(), id, "pdf");
    assertEquals(200, pdf.statusCode());
    assertEquals("application/pdf", pdf.getHeader("Content-Type"));
    assertEquals("attachment; filename=\"bridgework-brief-" + date + ".pdf\"", pdf.getHeader("Content-Disposition"));

    String mdText = md.bodyAsString();
    String htmlText = html.bodyAsString();
    String pdfText = pdfText(pdf);
    for (String doc : List.of(mdText, htmlText, pdfText)) {
      assertTrue(doc.contains("Alice") && doc.contains("Bob") && doc.contains(date), doc);
      int one = doc.indexOf("1. First: dinner");
      int two = doc.indexOf("2. Second");
      assertTrue(one > 0 && two > one, doc);
      for (String expected : List.of("I felt alone.", "Author note on dinner", "I'd like a response", "Let's take this to counseling",
          "I hear you", "Alice's session note", "Bob's session note")) {
        assertTrue(doc.contains(expected), expected + " missing from " + doc);
      }
      assertTrue(doc.contains("comment on dinner"), doc);
      assertFalse(doc.contains("PRIVATE-REFLECTION-TEXT"), doc);
      assertFalse(doc.contains("UNFLAGGED"), doc);
    }
    // A partner's markup stays text.
    assertFalse(mdText.contains(XSS), mdText);
    assertTrue(mdText.contains("\\<img src=x onerror=alert(1)\\>"), mdText);
    assertTrue(mdText.contains("\\*\\*bold?\\*\\* \\# heading?"), mdText);
    assertFalse(htmlText.contains(XSS), htmlText);
    assertFalse(htmlText.contains("<img"), htmlText);
    assertTrue(htmlText.contains("&lt;img src=x onerror=alert(1)&gt;"), htmlText);
    assertFalse(htmlText.contains("<script"), htmlText);
    assertTrue(pdfText.contains(XSS), "in the PDF it is printed as plain text: " + pdfText);
    // Non-Latin text survives in every format; in the PDF, Hebrew may come out in visual order.
    assertTrue(mdText.contains(WORLD) && htmlText.contains(WORLD));
    assertTrue(pdfText.contains("Ça va — 你好"), pdfText);
    assertTrue(pdfText.codePoints().anyMatch(cp -> Character.UnicodeBlock.of(cp) == Character.UnicodeBlock.HEBREW), pdfText);
  }

  @Test
  void theBriefNeedsAKnownFormat() {
    Couple c = couple();
    String id = startReview(c.alice()).getString("id");
    for (String format : new String[] {null, "docx", "PDF", ""}) {
      var r = brief(c.alice(), id, format);
      assertEquals("invalid", error(r, 400), String.valueOf(format));
      assertEquals("format", r.bodyAsJsonObject().getJsonObject("error").getString("field"));
    }
    var twice = c.alice().get("/api/reviews/" + id + "/brief?format=md&format=pdf");
    assertEquals("invalid", error(twice, 400));
  }

  // ------------------------------------------------------------------ privacy

  @Test
  void nobodyOutsideTheCoupleCanSeeOrChangeItsReviews() {
    Couple c = couple();
    String s = share(c.alice(), "Ours", "listen", null, "our text");
    flag(c.alice(), s, true);
    String id = startReview(c.alice()).getString("id");
    ok(c.alice().put("/api/reviews/" + id + "/notes/" + s, new JsonObject().put("text", "our note")));
    JsonObject before = storedReview(id);
    int events = coupleEvents(c.id()).size();

    Couple other = couple();
    Api stranger = server.register("Stranger");
    String r = "/api/reviews/" + id;
    for (Api outsider : List.of(other.alice(), stranger)) {
      assertEquals("not_found", error(outsider.get(r), 404));
      assertEquals("not_found", error(outsider.put(r + "/agenda", new JsonObject().put("shareIds", new JsonArray())), 404));
      assertEquals("not_found", error(outsider.put(r + "/notes/" + s, new JsonObject().put("text", "x")), 404));
      assertEquals("not_found", error(outsider.put(r + "/ready", new JsonObject().put("ready", true)), 404));
      assertEquals("not_found", error(outsider.post(r + "/close", new JsonObject()), 404));
      assertEquals("not_found", error(outsider.get(r + "/brief?format=md"), 404));
      assertEquals("not_found", error(outsider.get(r + "/brief?format=docx"), 404));
    }
    assertEquals("not_found", error(stranger.get("/api/reviews/not-a-review-id"), 404));
    // Collection routes: the stranger is not paired; the other couple sees only its own (none).
    assertEquals("not_paired", error(stranger.get("/api/reviews"), 409));
    assertEquals("not_paired", error(stranger.get("/api/reviews/current"), 409));
    assertEquals("not_paired", error(stranger.post("/api/reviews", new JsonObject()), 409));
    assertEquals(new JsonArray(), ok(other.alice().get("/api/reviews")).getJsonArray("reviews"));
    assertEquals("not_found", error(other.alice().get("/api/reviews/current"), 404));
    // Without a session: 401 everywhere.
    Api anonymous = server.client();
    assertEquals("unauthenticated", error(anonymous.get("/api/reviews"), 401));
    assertEquals("unauthenticated", error(anonymous.post("/api/reviews", new JsonObject()), 401));
    assertEquals("unauthenticated", error(anonymous.get(r), 401));
    assertEquals("unauthenticated", error(anonymous.get(r + "/brief?format=pdf"), 401));
    assertEquals("unauthenticated", error(anonymous.put(r + "/ready", new JsonObject().put("ready", true)), 401));

    assertEquals(before, storedReview(id));
    assertEquals(events, coupleEvents(c.id()).size());
  }

  @Test
  void badBodiesAreRefusedClearly() {
    Couple c = couple();
    assertEquals("invalid", error(c.alice().post("/api/reviews", new JsonObject().put("agenda", 1).put("surprise", true)), 400));
    assertEquals("invalid_json", error(c.alice().raw(HttpMethod.POST, "/api/reviews", Buffer.buffer("{nope"),
        MultiMap.caseInsensitiveMultiMap(), "application/json"), 400));
    assertEquals("not_found", error(c.alice().get("/api/reviews/current"), 404));
    JsonObject review = startReview(c.alice());
    assertEquals("invalid", error(c.alice().post("/api/reviews/" + review.getString("id") + "/close",
        new JsonObject().put("when", "now")), 400));
    assertEquals(review, ok(c.alice().get("/api/reviews/current")));
  }
}
