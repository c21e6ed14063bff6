package dev.bridgework.reflection;

import dev.bridgework.testing.Api;
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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.testing.Checks.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/reflections}: order, filters, and cursor paging that neither skips nor repeats. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ReflectionListTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  private static String save(Api api, String exerciseId, String status, String text) {
    String id = UUID.randomUUID().toString();
    var r = api.saveReflection(id, exerciseId,
        new JsonObject().put(exerciseId.equals("free-blank-page") ? "on-your-mind" : "what-happened", text), status, null);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  private static JsonObject page(Api api, String query) {
    var r = api.get("/api/reflections" + query);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static List<String> ids(JsonObject page) {
    List<String> ids = new ArrayList<>();
    page.getJsonArray("reflections").forEach(o -> ids.add(((JsonObject) o).getString("id")));
    return ids;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void listsNewestFirstWithFiltersAndADefaultLimitOf20() {
    Api alice = server.register("Alice");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      server.clock.advance(Duration.ofSeconds(1));
      created.add(save(alice, i % 3 == 0 ? "free-blank-page" : "mirror-recent-moment", i % 2 == 0 ? "draft" : "complete", "entry " + i));
    }
    List<String> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);

    JsonObject first = page(alice, "");
    assertEquals(newestFirst.subList(0, 20), ids(first));
    assertNotNull(first.getString("next"));
    JsonObject second = page(alice, "?before=" + enc(first.getString("next")));
    assertEquals(newestFirst.subList(20, 24), ids(second));
    assertNull(second.getValue("next"));

    JsonObject drafts = page(alice, "?status=draft&limit=100");
    List<String> expectedDrafts = new ArrayList<>();
    for (int i = 23; i >= 0; i--) if (i % 2 == 0) expectedDrafts.add(created.get(i));
    assertEquals(expectedDrafts, ids(drafts));
    drafts.getJsonArray("reflections").forEach(o -> assertEquals("draft", ((JsonObject) o).getString("status")));

    JsonObject free = page(alice, "?exerciseId=free-blank-page&status=complete");
    List<String> expectedFree = new ArrayList<>();
    for (int i = 23; i >= 0; i--) if (i % 3 == 0 && i % 2 == 1) expectedFree.add(created.get(i));
    assertEquals(expectedFree, ids(free));
    free.getJsonArray("reflections").forEach(o -> {
      assertEquals("free-blank-page", ((JsonObject) o).getString("exerciseId"));
      assertTrue(alice.openReflection((JsonObject) o).getJsonObject("answers").getString("on-your-mind").startsWith("entry "));
    });

    assertEquals(newestFirst.subList(0, 1), ids(page(alice, "?limit=1")));
    assertEquals(0, ids(page(alice, "?exerciseId=trust-deciding-from-steadiness")).size());
  }

  @Test
  void invalidQueryValuesAreRefusedNamingTheParameter() {
    Api alice = server.register("Alice");
    assertInvalid(alice.get("/api/reflections?status=finished"), "status");
    assertInvalid(alice.get("/api/reflections?status=draft&status=complete"), "status");
    assertInvalid(alice.get("/api/reflections?exerciseId=no-such-exercise"), "exerciseId");
    assertInvalid(alice.get("/api/reflections?limit=0"), "limit");
    assertInvalid(alice.get("/api/reflections?limit=101"), "limit");
    assertInvalid(alice.get("/api/reflections?limit=ten"), "limit");
    assertInvalid(alice.get("/api/reflections?limit=1.5"), "limit");
    assertInvalid(alice.get("/api/reflections?limit="), "limit");
    assertInvalid(alice.get("/api/reflections?before=garbage"), "before");
    assertInvalid(alice.get("/api/reflections?before="), "before");
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("yesterday|not-an-id".getBytes(StandardCharsets.UTF_8));
    assertInvalid(alice.get("/api/reflections?before=" + forged), "before");
    assertEquals(0, page(alice, "?limit=100").getJsonArray("reflections").size());
  }

  @Test
  void pagingWhileNewReflectionsAreWrittenNeitherSkipsNorRepeats() {
    Api alice = server.register("Alice");
    Api otherDevice = alice.anotherDevice();
    List<String> existing = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      server.clock.advance(Duration.ofMillis(7));
      existing.add(save(alice, "mirror-recent-moment", "draft", "old " + i));
    }
    java.util.Collections.reverse(existing);

    List<String> seen = new ArrayList<>();
    Set<String> written = new HashSet<>();
    String next = null;
    int pages = 0;
    do {
      JsonObject page = page(alice, "?limit=5" + (next == null ? "" : "&before=" + enc(next)));
      seen.addAll(ids(page));
      next = page.getString("next");
      // Another device writes between page requests, sometimes several at once.
      for (int k = 0; k <= pages % 3; k++) {
        server.clock.advance(Duration.ofMillis(3));
        written.add(save(otherDevice, "mirror-recent-moment", "complete", "new " + pages + "." + k));
      }
      pages++;
    } while (next != null && pages < 50);

    assertEquals(existing, seen, "every earlier reflection exactly once, in order, and none written meanwhile");
    assertEquals(5, pages);
    assertEquals(existing.size() + written.size(), page(alice, "?limit=100").getJsonArray("reflections").size());
  }

  @Test
  void pagingWhileAnotherDeviceKeepsWritingConcurrentlyNeitherSkipsNorRepeats() throws Exception {
    Api alice = server.register("Alice");
    Api otherDevice = alice.anotherDevice();
    List<String> existing = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      server.clock.advance(Duration.ofMillis(2));
      existing.add(save(alice, "free-blank-page", "draft", "old " + i));
    }
    java.util.Collections.reverse(existing);

    java.util.concurrent.atomic.AtomicBoolean paging = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
    var writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
      while (paging.get() || written.get() < 3) {
        server.clock.advance(Duration.ofMillis(1));
        save(otherDevice, "free-blank-page", "draft", "new " + written.incrementAndGet());
      }
    });
    List<String> seen = new ArrayList<>();
    String next = null;
    do {
      JsonObject page = page(alice, "?limit=4" + (next == null ? "" : "&before=" + enc(next)));
      seen.addAll(ids(page));
      next = page.getString("next");
    } while (next != null && seen.size() < 1000);
    paging.set(false);
    writer.get(30, TimeUnit.SECONDS);

    assertEquals(seen.size(), new HashSet<>(seen).size(), "no item repeated");
    List<String> oldOnes = seen.stream().filter(existing::contains).toList();
    assertEquals(existing, oldOnes, "every earlier reflection exactly once, in order");
    assertTrue(written.get() >= 3);
  }

  @Test
  void pagingIsExactWhenManyReflectionsShareOneInstant() {
    Api alice = server.register("Alice");
    Set<String> created = new HashSet<>();
    // The test clock stands still: every reflection gets the same createdAt, so the id breaks the tie.
    for (int i = 0; i < 11; i++) created.add(save(alice, "free-blank-page", "draft", "same moment " + i));
    List<String> seen = new ArrayList<>();
    String next = null;
    do {
      JsonObject page = page(alice, "?limit=3" + (next == null ? "" : "&before=" + enc(next)));
      seen.addAll(ids(page));
      next = page.getString("next");
    } while (next != null);
    assertEquals(11, seen.size());
    assertEquals(created, new HashSet<>(seen));
    List<String> sorted = new ArrayList<>(seen);
    sorted.sort(java.util.Comparator.reverseOrder());
    assertEquals(sorted, seen, "ties are ordered by id, descending");
  }

  @Test
  void aCursorOnlyPagesTheCallersOwnReflections() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    for (int i = 0; i < 3; i++) {
      server.clock.advance(Duration.ofSeconds(1));
      save(alice, "free-blank-page", "draft", "alice " + i);
      save(bob, "free-blank-page", "draft", "bob " + i);
    }
    String next = page(alice, "?limit=1").getString("next");
    JsonObject bobsView = page(bob, "?before=" + enc(next));
    bobsView.getJsonArray("reflections").forEach(o ->
        assertTrue(bob.openReflection((JsonObject) o).getJsonObject("answers").getString("on-your-mind").startsWith("bob ")));
    assertEquals(new JsonArray(), page(server.register("Carol"), "").getJsonArray("reflections"));
  }
}
