package dev.bridgework.counselor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bridgework.app.Application;
import dev.bridgework.couple.Pairing;
import dev.bridgework.realtime.Stream;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.Inbox;
import dev.bridgework.testing.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counselor access over the real server (docs/COUNSELOR.md): consent rules, expiry on the test
 * clock, dissolution and account deletion, what the counselor sees (and never sees), the token's
 * secrecy in logs and storage, throttling, and answers that do not tell an ended link from an
 * unknown one. A fresh server per test, since the wrong-token throttle counts per client address.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class CounselorApiTest {
  static final String FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0";
  TestServer server;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  // ------------------------------------------------------------------ helpers

  record Couple(Api alice, Api bob, String id) {}

  Couple couple() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    return new Couple(alice, bob, Pairing.pair(alice, bob));
  }

  String share(Api author, String title, String text) {
    String id = UUID.randomUUID().toString();
    var r = author.put("/api/shares/" + id, new JsonObject().put("title", title).put("intent", "discuss")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", text))));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    server.clock.advance(Duration.ofSeconds(1));
    return id;
  }

  /** An open review with exactly these shares on its agenda. */
  String review(Api api, String... shareIds) {
    var started = api.post("/api/reviews", new JsonObject());
    assertEquals(201, started.statusCode(), started.bodyAsString());
    String id = started.bodyAsJsonObject().getString("id");
    var agenda = api.put("/api/reviews/" + id + "/agenda", new JsonObject().put("shareIds", new JsonArray(List.of((Object[]) shareIds))));
    assertEquals(200, agenda.statusCode(), agenda.bodyAsString());
    return id;
  }

  static JsonObject propose(Api api, String reviewId, JsonObject extra) {
    var r = api.post("/api/counselor-grants", new JsonObject().put("reviewId", reviewId).mergeIn(extra));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> consent(Api api, String grantId) {
    return api.put("/api/counselor-grants/" + grantId + "/consent", new JsonObject());
  }

  /** A request as the counselor: no account, no cookie, the token in the Authorization header. */
  HttpResponse<Buffer> counselor(String path, String token, String userAgent) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (token != null) headers.add("Authorization", "Bearer " + token);
    if (userAgent != null) headers.add("User-Agent", userAgent);
    // Without the test client's own User-Agent, so the one given here is the one the server sees.
    WebClient web = WebClient.create(server.vertx, new WebClientOptions().setUserAgentEnabled(false)
        .setDefaultHost("localhost").setDefaultPort(server.port()));
    try {
      return web.request(HttpMethod.GET, path).putHeaders(headers).timeout(30_000).send().await();
    } finally {
      web.close();
    }
  }

  HttpResponse<Buffer> view(String token) {
    return counselor("/api/counselor/view", token, FIREFOX_MAC);
  }

  static String unknownToken() {
    return new CounselorTokens().generate();
  }

  List<String> counselorEvents(String coupleId) {
    Stream stream = Stream.couple(coupleId);
    long head = server.app.events().head(stream).await();
    return (head == 0 ? List.<JsonObject>of() : server.app.events().read(stream, 1, head).await()).stream()
        .map(e -> e.getString("kind")).filter(k -> k.startsWith("counselor.")).toList();
  }

  /** Status, body and the headers a client could tell apart, of one counselor answer. */
  static String shape(HttpResponse<Buffer> r) {
    return r.statusCode() + " " + r.bodyAsString() + " " + r.getHeader("Content-Type") + " " + r.getHeader("X-Robots-Tag")
        + " " + r.getHeader("Cache-Control");
  }

  static String pdfText(Buffer pdf) throws Exception {
    try (PDDocument doc = Loader.loadPDF(pdf.getBytes())) {
      return new PDFTextStripper().getText(doc);
    }
  }

  // ------------------------------------------------------------------ consent

  @Test
  void onePartnerAloneCannotActivateAndEitherPartnerCanRevoke() {
    Couple c = couple();
    String reviewId = review(c.alice(), share(c.alice(), "Plans", "When plans change I feel forgotten."));
    JsonObject proposal = propose(c.alice(), reviewId, new JsonObject().put("label", "Dr. Rivera").put("days", 7));
    String token = proposal.getString("token");
    JsonObject grant = proposal.getJsonObject("grant");
    assertEquals("pending", grant.getString("status"));
    assertEquals("Dr. Rivera", grant.getString("label"));
    assertEquals(c.alice().id(), grant.getString("proposedBy"));
    assertTrue(token.length() >= 43, "at least 256 bits, base64url");
    assertEquals("/counselor.html#" + token, proposal.getString("path"));
    assertFalse(grant.encode().contains(token));

    // Pending: the link does not work yet, and the proposer cannot agree for both.
    assertEquals(404, view(token).statusCode());
    var self = consent(c.alice(), grant.getString("id"));
    assertEquals(403, self.statusCode(), self.bodyAsString());
    assertEquals("forbidden", Pairing.errorCode(self));
    assertEquals(404, view(token).statusCode());

    // The other partner agrees: now it works; agreeing again changes nothing.
    var agreed = consent(c.bob(), grant.getString("id"));
    assertEquals(200, agreed.statusCode(), agreed.bodyAsString());
    assertEquals("active", agreed.bodyAsJsonObject().getString("status"));
    assertEquals(c.bob().id(), agreed.bodyAsJsonObject().getString("consentedBy"));
    assertEquals(200, consent(c.bob(), grant.getString("id")).statusCode());
    var seen = view(token);
    assertEquals(200, seen.statusCode(), seen.bodyAsString());
    assertEquals("Dr. Rivera", seen.bodyAsJsonObject().getString("label"));
    assertFalse(c.alice().get("/api/counselor-grants").bodyAsString().contains(token), "the token is never shown again");

    // Both see when it was opened, with a coarse client description and no address.
    JsonObject listed = c.bob().get("/api/counselor-grants").bodyAsJsonObject().getJsonArray("grants").getJsonObject(0);
    assertEquals(1, listed.getJsonArray("opens").size());
    assertEquals("Firefox on macOS", listed.getJsonArray("opens").getJsonObject(0).getString("client"));
    assertFalse(listed.encode().contains("127.0.0.1"));
    // The same visit (the page re-reading live) is one opening.
    assertEquals(200, view(token).statusCode());
    assertEquals(1, c.alice().get("/api/counselor-grants/" + grant.getString("id")).bodyAsJsonObject().getJsonArray("opens").size());

    // The proposer ends it: the link answers exactly like one that never existed.
    String unknown = shape(view(unknownToken()));
    assertEquals(204, c.alice().delete("/api/counselor-grants/" + grant.getString("id")).statusCode());
    assertEquals(unknown, shape(view(token)));
    var ended = consent(c.bob(), grant.getString("id"));
    assertEquals(409, ended.statusCode());
    assertEquals("grant_ended", Pairing.errorCode(ended));
    // Revoking again is harmless.
    assertEquals(204, c.bob().delete("/api/counselor-grants/" + grant.getString("id")).statusCode());

    // The partner who agreed can end one too, and a pending proposal can be withdrawn.
    JsonObject second = propose(c.bob(), reviewId, new JsonObject());
    assertEquals(200, consent(c.alice(), second.getJsonObject("grant").getString("id")).statusCode());
    assertEquals(200, view(second.getString("token")).statusCode());
    assertEquals(204, c.bob().delete("/api/counselor-grants/" + second.getJsonObject("grant").getString("id")).statusCode());
    assertEquals(404, view(second.getString("token")).statusCode());
    JsonObject third = propose(c.alice(), reviewId, new JsonObject());
    assertEquals(204, c.bob().delete("/api/counselor-grants/" + third.getJsonObject("grant").getString("id")).statusCode());
    assertEquals(409, consent(c.bob(), third.getJsonObject("grant").getString("id")).statusCode());

    JsonObject revoked = c.alice().get("/api/counselor-grants/" + grant.getString("id")).bodyAsJsonObject();
    assertEquals("revoked", revoked.getString("status"));
    assertEquals(c.alice().id(), revoked.getString("endedBy"));
    assertEquals(List.of("counselor.proposed", "counselor.activated", "counselor.opened", "counselor.revoked",
        "counselor.proposed", "counselor.activated", "counselor.opened", "counselor.revoked",
        "counselor.proposed", "counselor.revoked"), counselorEvents(c.id()));
  }

  @Test
  void proposalsAreValidatedAndScopedToTheCouple() {
    Couple c = couple();
    Couple other = couple();
    String reviewId = review(c.alice(), share(c.alice(), "Plans", "text"));
    JsonObject grant = propose(c.alice(), reviewId, new JsonObject()).getJsonObject("grant");
    // Default 14 days from the proposal.
    assertEquals(Instant.parse(grant.getString("createdAt")).plus(Duration.ofDays(14)), Instant.parse(grant.getString("expiresAt")));
    for (JsonObject bad : List.of(new JsonObject().put("days", 0), new JsonObject().put("days", 91),
        new JsonObject().put("days", "7"), new JsonObject().put("label", "x".repeat(101)), new JsonObject().put("token", "mine"))) {
      var r = c.alice().post("/api/counselor-grants", new JsonObject().put("reviewId", reviewId).mergeIn(bad));
      assertEquals(400, r.statusCode(), bad.encode() + " " + r.bodyAsString());
    }
    assertEquals(90, propose(c.alice(), reviewId, new JsonObject().put("days", 90)).getJsonObject("grant").getInteger("days"));
    // Another couple's review and grants do not exist for them; not being paired is 409.
    assertEquals(404, other.alice().post("/api/counselor-grants", new JsonObject().put("reviewId", reviewId)).statusCode());
    assertEquals(404, other.alice().get("/api/counselor-grants/" + grant.getString("id")).statusCode());
    assertEquals(404, consent(other.bob(), grant.getString("id")).statusCode());
    assertEquals(404, other.bob().delete("/api/counselor-grants/" + grant.getString("id")).statusCode());
    assertEquals(0, other.alice().get("/api/counselor-grants").bodyAsJsonObject().getJsonArray("grants").size());
    Api stranger = server.register("Stranger");
    assertEquals(409, stranger.post("/api/counselor-grants", new JsonObject().put("reviewId", reviewId)).statusCode());
    assertEquals(409, stranger.get("/api/counselor-grants").statusCode());
    assertEquals("pending", c.bob().get("/api/counselor-grants/" + grant.getString("id")).bodyAsJsonObject().getString("status"));
  }

  // ------------------------------------------------------------------ it ends by itself

  @Test
  void accessExpiresOnTheClockAndAnswersLikeAnUnknownLink() {
    Couple c = couple();
    String reviewId = review(c.alice(), share(c.alice(), "Plans", "text"));
    JsonObject proposal = propose(c.alice(), reviewId, new JsonObject().put("days", 3));
    String gid = proposal.getJsonObject("grant").getString("id");
    assertEquals(200, consent(c.bob(), gid).statusCode());
    server.clock.advance(Duration.ofDays(3).minusSeconds(5));
    assertEquals(200, view(proposal.getString("token")).statusCode());
    server.clock.advance(Duration.ofSeconds(10));
    assertEquals(shape(view(unknownToken())), shape(view(proposal.getString("token"))));
    assertEquals(404, counselor("/api/counselor/brief.pdf", proposal.getString("token"), null).statusCode());
    // Days went by: the partners sign in again.
    Api alice = c.alice().anotherDevice();
    Api bob = c.bob().anotherDevice();
    JsonObject expired = alice.get("/api/counselor-grants/" + gid).bodyAsJsonObject();
    assertEquals("expired", expired.getString("status"), expired.encode());
    assertEquals(409, consent(bob, gid).statusCode());
    // A pending proposal lapses too, and the sweep records it without anyone looking.
    String pendingId = propose(alice, reviewId, new JsonObject().put("days", 1)).getJsonObject("grant").getString("id");
    server.clock.advance(Duration.ofDays(2));
    counselorService().sweep().await();
    assertEquals(List.of("counselor.proposed", "counselor.activated", "counselor.opened", "counselor.expired",
        "counselor.proposed", "counselor.expired"), counselorEvents(c.id()));
    assertEquals("expired", bob.anotherDevice().get("/api/counselor-grants/" + pendingId).bodyAsJsonObject().getString("status"));
  }

  private CounselorService counselorService() {
    try {
      var field = Application.class.getDeclaredField("counselors");
      field.setAccessible(true);
      return (CounselorService) field.get(server.app);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void leavingTheJointSpaceEndsAccess() {
    Couple c = couple();
    String reviewId = review(c.alice(), share(c.alice(), "Plans", "text"));
    JsonObject proposal = propose(c.alice(), reviewId, new JsonObject());
    assertEquals(200, consent(c.bob(), proposal.getJsonObject("grant").getString("id")).statusCode());
    assertEquals(200, view(proposal.getString("token")).statusCode());
    assertEquals(204, c.bob().delete("/api/couple").statusCode());
    assertEquals(shape(view(unknownToken())), shape(view(proposal.getString("token"))));
    assertFalse(server.dumpDatabase().contains(proposal.getJsonObject("grant").getString("id")), "the grant is erased with the joint space");
  }

  @Test
  void deletingAnAccountEndsAccess() {
    Couple c = couple();
    String reviewId = review(c.alice(), share(c.bob(), "Plans", "text"));
    JsonObject proposal = propose(c.bob(), reviewId, new JsonObject());
    assertEquals(200, consent(c.alice(), proposal.getJsonObject("grant").getString("id")).statusCode());
    assertEquals(200, view(proposal.getString("token")).statusCode());
    var deleted = c.alice().delete("/api/me", new JsonObject().put("authKey", c.alice().keys().authKey()));
    assertEquals(204, deleted.statusCode(), deleted.bodyAsString());
    assertEquals(shape(view(unknownToken())), shape(view(proposal.getString("token"))));
  }

  // ------------------------------------------------------------------ what the counselor sees

  @Test
  void theCounselorSeesTheBriefAndNothingElse() throws Exception {
    Couple c = couple();
    Couple other = couple();
    String secret = "PLANTED-" + UUID.randomUUID();
    // Private work, a share off the agenda (with a response), another review's note, another couple's share.
    assertEquals(201, c.alice().saveReflection(UUID.randomUUID().toString(), "free-blank-page",
        new JsonObject().put("on-your-mind", secret + " private"), "draft", null).statusCode());
    String off = share(c.alice(), "Off agenda " + secret, secret + " off-agenda excerpt");
    assertEquals(201, c.bob().put("/api/shares/" + off + "/responses/" + UUID.randomUUID(),
        new JsonObject().put("kind", "comment").put("text", secret + " off-agenda comment")).statusCode());
    share(other.alice(), "Theirs " + secret, secret + " other couple");
    String earlier = review(c.alice(), off);
    assertEquals(200, c.bob().put("/api/reviews/" + earlier + "/notes/" + off, new JsonObject().put("text", secret + " old note")).statusCode());
    assertEquals(200, c.bob().post("/api/reviews/" + earlier + "/close", new JsonObject()).statusCode());

    String first = share(c.alice(), "When plans change", "When plans change I feel forgotten.");
    String second = share(c.bob(), "Mornings", "Our mornings feel rushed.");
    assertEquals(201, c.bob().put("/api/shares/" + first + "/responses/" + UUID.randomUUID(),
        new JsonObject().put("kind", "ack").put("ack", "hear_you")).statusCode());
    String reviewId = review(c.bob(), second, first);
    assertEquals(200, c.alice().put("/api/reviews/" + reviewId + "/notes/" + first, new JsonObject().put("text", "Alice's note")).statusCode());
    assertEquals(200, c.bob().put("/api/reviews/" + reviewId + "/notes/" + first, new JsonObject().put("text", "Bob's note")).statusCode());
    JsonObject proposal = propose(c.alice(), reviewId, new JsonObject().put("label", "Dr. Rivera"));
    assertEquals(200, consent(c.bob(), proposal.getJsonObject("grant").getString("id")).statusCode());
    String token = proposal.getString("token");

    var r = view(token);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject view = r.bodyAsJsonObject();
    assertEquals("Alice & Bob", view.getString("names"));
    JsonArray items = view.getJsonArray("items");
    assertEquals(2, items.size());
    assertEquals("Mornings", items.getJsonObject(0).getString("title"));
    JsonObject plans = items.getJsonObject(1);
    assertEquals("When plans change", plans.getString("title"));
    assertEquals("Alice", plans.getString("sharedBy"));
    assertEquals("Let's take this to counseling", plans.getString("intent"));
    assertEquals(List.of("When plans change I feel forgotten."), plans.getJsonArray("excerpts").getList());
    assertEquals("I hear you", plans.getJsonArray("responses").getJsonObject(0).getString("text"));
    assertEquals("Bob", plans.getJsonArray("responses").getJsonObject(0).getString("by"));
    assertEquals(List.of("Alice: Alice's note", "Bob: Bob's note"), plans.getJsonArray("notes").stream()
        .map(o -> ((JsonObject) o).getString("by") + ": " + ((JsonObject) o).getString("text")).toList());
    String body = r.bodyAsString();
    assertFalse(body.contains(secret), "nothing private or off the agenda: " + body);
    for (String id : List.of(c.alice().id(), c.bob().id(), first, second, off, reviewId, c.id())) {
      assertFalse(body.contains(id), "no ids of people, shares or reviews reach the counselor");
    }

    var pdf = counselor("/api/counselor/brief.pdf", token, null);
    assertEquals(200, pdf.statusCode());
    assertEquals("application/pdf", pdf.getHeader("Content-Type"));
    String text = pdfText(pdf.body());
    assertTrue(text.contains("When plans change I feel forgotten."), text);
    assertTrue(text.contains("Bob's note"), text);
    assertFalse(text.contains(secret), text);
  }

  @Test
  void aWithdrawnShareLeavesTheCounselorsViewAtOnce() throws Exception {
    Couple c = couple();
    String keep = share(c.bob(), "Mornings", "Our mornings feel rushed.");
    String gone = share(c.alice(), "Money", "I lie awake worrying about money.");
    String reviewId = review(c.alice(), keep, gone);
    JsonObject proposal = propose(c.alice(), reviewId, new JsonObject());
    assertEquals(200, consent(c.bob(), proposal.getJsonObject("grant").getString("id")).statusCode());
    String token = proposal.getString("token");
    assertEquals(2, view(token).bodyAsJsonObject().getJsonArray("items").size());

    // The open page's live channel says "changed" (and nothing more) when the share is withdrawn.
    HttpClient http = server.vertx.createHttpClient();
    StringBuilder received = new StringBuilder();
    // Each expected event completes a promise on the event loop; the test waits for it through a test context.
    Promise<Void> ready = Promise.promise();
    Promise<Void> changed = Promise.promise();
    Promise<Void> ended = Promise.promise();
    // The handlers are set on the event loop as the answer arrives, so no chunk goes by unseen.
    HttpClientResponse stream = http.request(new RequestOptions().setHost("localhost").setPort(server.port())
            .setURI("/api/counselor/events").putHeader("Authorization", "Bearer " + token))
        .compose(req -> req.send()).map(resp -> {
          resp.handler(chunk -> {
            synchronized (received) {
              received.append(chunk.toString());
              if (received.indexOf("event: ready") >= 0) ready.tryComplete();
              if (received.indexOf("event: changed") >= 0) changed.tryComplete();
            }
          });
          resp.endHandler(v -> ended.tryComplete());
          return resp;
        }).await();
    assertEquals(200, stream.statusCode());
    assertTrue(stream.getHeader("Content-Type").startsWith("text/event-stream"));
    Inbox.await(ready.future(), Duration.ofSeconds(10));
    assertEquals(204, c.alice().delete("/api/shares/" + gone).statusCode());
    Inbox.await(changed.future(), Duration.ofSeconds(10));
    JsonArray items = view(token).bodyAsJsonObject().getJsonArray("items");
    assertEquals(1, items.size());
    assertEquals("Mornings", items.getJsonObject(0).getString("title"));
    synchronized (received) {
      assertFalse(received.toString().contains("money"), "the channel carries no content");
    }

    // Revoking closes the channel with "ended".
    assertEquals(204, c.bob().delete("/api/counselor-grants/" + proposal.getJsonObject("grant").getString("id")).statusCode());
    Inbox.await(ended.future(), Duration.ofSeconds(10));
    synchronized (received) {
      assertTrue(received.toString().contains("event: ended"), received.toString());
    }
    http.close().await();
  }

  // ------------------------------------------------------------------ the secret stays secret

  @Test
  void theTokenIsInNoLogLineAndNotStoredInClear() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger mongoDriver = (Logger) LoggerFactory.getLogger("org.mongodb.driver");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Level rootLevel = root.getLevel();
    Level mongoLevel = mongoDriver.getLevel();
    root.addAppender(appender);
    // Everything, even the database driver's commands, while the token is made and used.
    root.setLevel(Level.DEBUG);
    mongoDriver.setLevel(Level.DEBUG);
    String token;
    try {
      Couple c = couple();
      String reviewId = review(c.alice(), share(c.alice(), "Plans", "text"));
      JsonObject proposal = propose(c.alice(), reviewId, new JsonObject());
      token = proposal.getString("token");
      assertEquals(200, consent(c.bob(), proposal.getJsonObject("grant").getString("id")).statusCode());
      assertEquals(200, view(token).statusCode());
      assertEquals(200, counselor("/api/counselor/brief.pdf", token, null).statusCode());
      assertEquals(404, view(token.substring(1) + "A").statusCode());
      assertEquals(204, c.alice().delete("/api/counselor-grants/" + proposal.getJsonObject("grant").getString("id")).statusCode());
      assertEquals(404, view(token).statusCode());
    } finally {
      root.setLevel(rootLevel);
      mongoDriver.setLevel(mongoLevel);
      root.detachAppender(appender);
    }
    assertTrue(appender.list.size() > 10, "the capture saw the driver's debug lines: " + appender.list.size());
    String hash = CounselorTokens.hash(token);
    for (ILoggingEvent e : appender.list) {
      String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      assertFalse(line.contains(token), "a log line carries the token: " + line);
      assertFalse(line.contains(token.substring(0, 20)), "a log line carries part of the token: " + line);
    }
    assertTrue(appender.list.stream().anyMatch(e -> e.getFormattedMessage().contains("wrong or ended token")), "wrong tokens are audited");
    String db = server.dumpDatabase();
    assertFalse(db.contains(token), "the database holds the token in clear");
    assertFalse(db.contains(token.substring(0, 20)));
    assertTrue(db.contains(hash), "only its hash");
    assertFalse(db.contains("127.0.0.1"), "no client address in clear");
  }

  @Test
  void wrongTokensAreThrottledPerClientAddressAndAudited() {
    Couple c = couple();
    String reviewId = review(c.alice(), share(c.alice(), "Plans", "text"));
    JsonObject proposal = propose(c.alice(), reviewId, new JsonObject());
    assertEquals(200, consent(c.bob(), proposal.getJsonObject("grant").getString("id")).statusCode());
    String unknown = shape(view(unknownToken()));
    assertTrue(unknown.startsWith("404 "), unknown);
    // A malformed token and a missing header are wrong tokens too, and answer the same.
    assertEquals(unknown, shape(view("not-a-token")));
    assertEquals(unknown, shape(counselor("/api/counselor/view", null, null)));
    for (int i = 3; i < Application.COUNSELOR_WRONG_TOKENS; i++) assertEquals(404, view(unknownToken()).statusCode());
    var limited = view(unknownToken());
    assertEquals(429, limited.statusCode(), limited.bodyAsString());
    assertNotNull(limited.getHeader("Retry-After"));
    // While limited, even the right token waits (so guessing cannot go on in parallel with use).
    assertEquals(429, view(proposal.getString("token")).statusCode());
    long audited = server.mongo().find(GrantRepository.AUDIT, new JsonObject()).await().stream()
        .mapToLong(d -> d.getLong("count")).sum();
    assertEquals(Application.COUNSELOR_WRONG_TOKENS, audited);
    server.clock.advance(Duration.ofMinutes(16));
    assertEquals(200, view(proposal.getString("token")).statusCode());
  }

  @Test
  void counselorAnswersAreNotIndexedNotCachedAndUseTheAppsPolicy() {
    Couple c = couple();
    String reviewId = review(c.alice(), share(c.alice(), "Plans", "text"));
    JsonObject proposal = propose(c.alice(), reviewId, new JsonObject());
    assertEquals(200, consent(c.bob(), proposal.getJsonObject("grant").getString("id")).statusCode());
    String appPolicy = server.client().get("/").getHeader("Content-Security-Policy");
    assertFalse(appPolicy.contains("unsafe-inline"));
    for (var r : List.of(view(proposal.getString("token")), view(unknownToken()), server.client().get("/counselor.html"))) {
      assertTrue(r.getHeader("X-Robots-Tag").contains("noindex"), r.headers().toString());
      assertEquals("no-store", r.getHeader("Cache-Control"));
      assertEquals(appPolicy, r.getHeader("Content-Security-Policy"));
      assertEquals("no-referrer", r.getHeader("Referrer-Policy"));
    }
    String page = server.client().get("/counselor.html").bodyAsString();
    assertTrue(page.contains("<meta name=\"robots\" content=\"noindex"), page);
    assertTrue(page.contains("/js/counselor.js"));
    assertFalse(page.contains("/js/main.js"), "the counselor's page does not load the app");
    assertNull(server.client().get("/").getHeader("X-Robots-Tag"));
  }

  @Test
  void clientDescriptionsAreCoarse() {
    assertEquals("Firefox on macOS", ClientDescription.of(FIREFOX_MAC));
    assertEquals("Chrome on Windows", ClientDescription.of(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"));
    assertEquals("Edge on Windows", ClientDescription.of(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"));
    assertEquals("Safari on iPhone", ClientDescription.of(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"));
    assertEquals("Chrome on Android", ClientDescription.of(
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"));
    assertEquals("A web browser", ClientDescription.of("bridgework-test"));
    assertEquals("A web browser", ClientDescription.of(null));
  }
}
