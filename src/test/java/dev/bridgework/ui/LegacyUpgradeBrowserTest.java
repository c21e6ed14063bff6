package dev.bridgework.ui;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An account from before end-to-end encryption upgrading in the browser (docs/ENCRYPTION.md "Items
 * the server still holds readable"): a copy of {@code src/test/resources/legacy-data} (written by the
 * previous release, see LegacyMigrationTest) opened by the real server, file-backed, in-process.
 * Alice signs in with her old password, is shown her first recovery code, the web app seals her
 * work, and everything reads as before; an upgrade interrupted half-way finishes at the next sign-in.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class LegacyUpgradeBrowserTest {
  private static final String ALICE = "alice@legacy.test";
  private static final String ALICE_PASSWORD = "alice legacy password";
  private static final String PART = "11111111-1111-4111-8111-111111111111";
  private static final String REFLECTION = "22222222-2222-4222-8222-222222222222";
  private static final String EMPTY_REFLECTION = "22222222-2222-4222-8222-222222222223";
  private static final String CHECKIN = "33333333-3333-4333-8333-333333333333";
  /** The private routes the web app writes sealed items back to. */
  private static final Pattern PRIVATE_ITEM = Pattern.compile(".*/api/(reflections|parts|checkins)/[0-9a-f-]{36}$");

  static Browser browser;
  private Path dataDir;
  private TestServer server;

  @BeforeAll
  static void launch() {
    PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    browser = Browser.launch();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) browser.close();
    browser = null;
  }

  /** Each test upgrades Alice from scratch: its own copy of the old data directory, its own server. */
  @BeforeEach
  void startOnACopyOfTheLegacyData(Vertx vertx) throws IOException {
    dataDir = Files.createTempDirectory("bw-legacy-ui");
    for (String file : List.of("bridgework.mv.db", "master.key")) {
      try (InputStream in = getClass().getResourceAsStream("/legacy-data/" + file)) {
        assertNotNull(in, "legacy-data/" + file);
        Files.copy(in, dataDir.resolve(file));
      }
    }
    server = TestServer.startOn(vertx, Map.of("data.dir", dataDir.toString()));
  }

  private Person alice() {
    Person alice = Person.desktop(browser, server, "Alice");
    alice.email = ALICE;
    alice.password = ALICE_PASSWORD;
    // Every text the "Securing your private work…" line shows, recorded as it changes (it is brief).
    alice.context.addInitScript("""
        window.__securing = [];
        document.addEventListener('DOMContentLoaded', () => {
          const line = document.querySelector('[data-testid="securing"]');
          if (!line) return;
          new MutationObserver(() => { if (line.textContent) window.__securing.push(line.textContent); })
            .observe(line, { childList: true, characterData: true, subtree: true });
        });""");
    return alice;
  }

  /** Signs in on the form with the old password, which the web app sends exactly once, to upgrade. */
  private static void signInWithTheOldPassword(Person alice) {
    alice.page.navigate("/#/signin");
    alice.id("signin-email").fill(alice.email);
    alice.id("signin-password").fill(alice.password);
    alice.id("signin-submit").click();
    alice.expectTitle("Your private work is now locked with your password");
    assertThat(alice.id("recovery-panel")).containsText("If you lose both your password and this code");
  }

  @SuppressWarnings("unchecked")
  private static JsonObject fetchJson(Person p, String path) {
    return new JsonObject((Map<String, Object>) p.page.evaluate(
        "async (path) => (await fetch(path, { headers: { Accept: 'application/json' } })).json()", path));
  }

  private static int status(Person p, String method, String path, String body) {
    return ((Number) p.page.evaluate("""
        async ([method, path, body]) => (await fetch(path, {
          method, headers: { 'Content-Type': 'application/json' }, body: body || undefined })).status""",
        List.of(method, path, body == null ? "" : body))).intValue();
  }

  /** Alice's reflection, part (with its role) and check-in read exactly as the old release stored them. */
  private static void assertAllOfAlicesWorkReads(Person alice) {
    alice.go("#/reflections");
    Locator reflection = alice.page.locator("[data-testid='reflection-item'][data-reflection-id='" + REFLECTION + "']");
    assertThat(reflection).containsText("LEGACY-ALICE-REFLECTION dinner went quiet");
    assertThat(reflection).hasAttribute("data-status", "complete");
    assertThat(alice.page.locator("[data-testid='reflection-item'][data-reflection-id='" + EMPTY_REFLECTION + "']"))
        .hasAttribute("data-status", "draft");
    assertThat(alice.id("sealed-error")).hasCount(0);

    // Opened in the runner, the words are there to edit.
    alice.go("#/run/mirror-recent-moment/" + REFLECTION);
    assertThat(alice.id("step-text")).hasValue("LEGACY-ALICE-REFLECTION dinner went quiet");

    alice.go("#/parts");
    Locator part = alice.page.locator("[data-testid='part-card'][data-part-id='" + PART + "']");
    assertThat(part).containsText("LEGACY-ALICE-PART The Scorekeeper");
    assertThat(part.getByTestId("part-role")).hasText("Manager");
    assertThat(part).containsText("LEGACY-ALICE-BELIEF");
    assertThat(part).containsText("rest");

    // The fixture's check-in was written on 2026-11-30: pin the page's clock near it, so the
    // "last 90 days" view keeps holding it however long after that the test runs.
    alice.page.clock().setFixedTime(java.time.Instant.parse("2026-12-15T12:00:00Z").toEpochMilli());
    alice.go("#/checkins");
    alice.id("checkin-range").selectOption("90");
    Locator checkin = alice.page.locator("[data-testid='checkin-item'][data-checkin-id='" + CHECKIN + "']");
    assertThat(checkin).containsText("LEGACY-ALICE-CHECKIN long day");
    assertThat(checkin).containsText("tired, tender");
    assertThat(checkin.locator(".intensity-pill")).hasText("7");
    assertThat(alice.id("sealed-error")).hasCount(0);
  }

  /** Reloads the check-ins page and waits until the app has booted and opened the check-in again. */
  private static void reloadOnCheckins(Person alice) {
    assertThat(alice.page.locator("main[data-route='checkins']")).isVisible();
    alice.page.reload();
    alice.id("checkin-range").selectOption("90");
    assertThat(alice.page.locator("[data-testid='checkin-item'][data-checkin-id='" + CHECKIN + "']"))
        .containsText("LEGACY-ALICE-CHECKIN long day");
  }

  private String serverKeyOf(String userId) {
    JsonObject key = server.mongo().findOne("keys", new JsonObject().put("_id", "u:" + userId).put("wrapped", new JsonObject().put("$exists", true)), null).await();
    return key == null ? null : key.getString("_id");
  }

  @Test
  void aLegacyAccountSignsInIsShownItsRecoveryCodeAndItsWorkIsSealedWithNothingLost() {
    try (Person alice = alice()) {
      signInWithTheOldPassword(alice);
      String aliceId = fetchJson(alice, "/api/me").getJsonObject("user").getString("id");
      assertEquals("u:" + aliceId, serverKeyOf(aliceId), "before the upgrade the server holds a key for Alice");

      // Confirming the code starts the session; the web app seals all four items and finishes.
      alice.page.waitForResponse(r -> r.url().endsWith("/api/me/unsealed/finish") && r.status() == 204,
          alice::keepRecoveryCode);
      alice.expectTitle("Hello, Alice");
      assertThat(alice.id("securing")).isHidden();
      String shown = String.valueOf(alice.page.evaluate("() => window.__securing.join('\\n')"));
      assertTrue(shown.contains("Securing your private work…"), shown);
      assertTrue(shown.contains("(4 of 4)"), shown);

      JsonObject me = fetchJson(alice, "/api/me");
      assertEquals(Boolean.FALSE, me.getBoolean("unsealed"));
      assertNotNull(me.getJsonObject("vault"));
      assertNull(serverKeyOf(aliceId), "the server's key for Alice is destroyed");
      assertEquals(0, fetchJson(alice, "/api/me/unsealed").getJsonArray("items").size());
      String stored = fetchJson(alice, "/api/reflections/" + REFLECTION).encode()
          + fetchJson(alice, "/api/parts/" + PART).encode() + fetchJson(alice, "/api/checkins").encode();
      assertFalse(stored.contains("LEGACY-ALICE"), "the server serves only envelopes now: " + stored);
      String database = server.dumpDatabase();
      assertFalse(database.contains("LEGACY-ALICE-REFLECTION") || database.contains("LEGACY-ALICE-PART")
          || database.contains("LEGACY-ALICE-CHECKIN") || database.contains("LEGACY-ALICE-BELIEF"),
          "nothing of Alice's private work is readable in the database");

      assertAllOfAlicesWorkReads(alice);

      // A reload keeps everything readable (the session-sealed key, no password asked).
      reloadOnCheckins(alice);
      assertAllOfAlicesWorkReads(alice);

      // Signed out, she signs in with her new keys (derived from her password in the browser; no
      // recovery code this time), and the password itself is not sent again.
      alice.signOut();
      int before = alice.sent.size();
      alice.signIn();
      List<String> second;
      synchronized (alice.sent) {
        second = new ArrayList<>(alice.sent.subList(before, alice.sent.size()));
      }
      assertFalse(String.join("\n", second).contains(ALICE_PASSWORD), "the second sign-in never sends the password");
      assertTrue(String.join("\n", second).contains("\"authKey\""), "the second sign-in sends an authKey");
      assertAllOfAlicesWorkReads(alice);

      // A password-based login is no longer accepted, for her account, from anywhere.
      try (Person stranger = Person.desktop(browser, server, "Stranger")) {
        stranger.page.navigate("/#/signin");
        assertThat(stranger.id("signin-submit")).isVisible();
        assertEquals(401, status(stranger, "POST", "/api/auth/login",
            new JsonObject().put("email", ALICE).put("password", ALICE_PASSWORD).encode()));
      }
      alice.assertNoProblems();
    }
  }

  @Test
  void anUpgradeInterruptedAfterTheFirstSealedItemFinishesAtTheNextSignInWithNothingLost() {
    String aliceId;
    try (Person first = alice()) {
      // The first item sealed goes through; every later write back of a private item fails, as if
      // the tab were closed there.
      AtomicInteger puts = new AtomicInteger();
      first.page.route(PRIVATE_ITEM, route -> {
        if (!"PUT".equals(route.request().method())) { route.resume(); return; }
        if (puts.incrementAndGet() == 1) route.resume();
        else route.abort();
      });
      signInWithTheOldPassword(first);
      aliceId = fetchJson(first, "/api/me").getJsonObject("user").getString("id");
      first.page.waitForConsoleMessage(new com.microsoft.playwright.Page.WaitForConsoleMessageOptions()
          .setPredicate(m -> m.text().contains("Securing private work stopped")), first::keepRecoveryCode);
      assertEquals(2, puts.get(), "one item sealed, the next write cut off");
      JsonObject me = fetchJson(first, "/api/me");
      assertEquals(Boolean.TRUE, me.getBoolean("unsealed"), "the upgrade is not finished");
      assertEquals(3, fetchJson(first, "/api/me/unsealed").getJsonArray("items").size());
      // The tab goes away half-way (its context is closed).
    }
    assertEquals("u:" + aliceId, serverKeyOf(aliceId), "the server keeps its key while anything is unsealed");

    try (Person again = alice()) {
      List<String> puts = Collections.synchronizedList(new ArrayList<>());
      again.page.onRequest(r -> {
        if ("PUT".equals(r.method()) && PRIVATE_ITEM.matcher(r.url()).matches()) puts.add(r.url());
      });
      // Her keys were upgraded before the interruption: a normal sign-in (no new recovery code).
      again.page.waitForResponse(r -> r.url().endsWith("/api/me/unsealed/finish") && r.status() == 204,
          again::signIn);
      assertEquals(3, puts.size(), "only what was left is sealed: " + puts);
      assertEquals(Boolean.FALSE, fetchJson(again, "/api/me").getBoolean("unsealed"));
      assertNull(serverKeyOf(aliceId), "the server's key for Alice is destroyed");
      assertAllOfAlicesWorkReads(again);
      reloadOnCheckins(again);
      assertAllOfAlicesWorkReads(again);
      again.assertNoProblems();
    }
  }
}
