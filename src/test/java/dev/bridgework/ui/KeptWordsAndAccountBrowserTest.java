package dev.bridgework.ui;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Response;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web-app side of docs/ENCRYPTION.md's contract additions: the gentle ending notice and kept
 * words when a partner leaves, "Download my data" opening the sealed export, and a password change
 * ending the session of another device that is open at that moment.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class KeptWordsAndAccountBrowserTest extends BrowserTestSupport {
  private static final Predicate<Response> FINISHED =
      r -> r.url().endsWith("/api/me/unsealed/finish") && r.status() == 204;

  private static String share(Api author, String title, String text) {
    String id = UUID.randomUUID().toString();
    var r = author.put("/api/shares/" + id, new JsonObject().put("title", title)
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", text))).put("note", title + "-NOTE").put("intent", "listen"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  private static Locator keptItems(Person p) {
    return p.id("kept-item");
  }

  @Test
  void whenAPartnerLeavesTheOtherIsToldGentlyAndEachKeepsOnlyTheirOwnWordsSealed() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Pairing.pair(alice, bob);
    String aliceShare = share(alice, "ALICE-TITLE-" + tag, "ALICE-SHARED-" + tag);
    String bobShare = share(bob, "BOB-TITLE-" + tag, "BOB-SHARED-" + tag);
    for (String id : List.of(aliceShare, bobShare)) {
      assertEquals(200, alice.put("/api/shares/" + id + "/counseling", new JsonObject().put("flag", true)).statusCode());
    }
    var review = alice.post("/api/reviews", new JsonObject());
    assertEquals(201, review.statusCode(), review.bodyAsString());
    String reviewId = review.bodyAsJsonObject().getString("id");
    for (String id : List.of(aliceShare, bobShare)) {
      assertEquals(200, alice.put("/api/reviews/" + reviewId + "/notes/" + id,
          new JsonObject().put("text", "ALICE-NOTE-" + tag)).statusCode());
      assertEquals(200, bob.put("/api/reviews/" + reviewId + "/notes/" + id,
          new JsonObject().put("text", "BOB-NOTE-" + tag)).statusCode());
    }

    try (Person a = Person.desktop(browser, server, "Alice").signInAs(alice);
         Person b = Person.phone(browser, server, "Bob").signInAs(bob)) {
      // Bob's page is open on Home while Alice leaves: no notice while they are paired.
      b.expectConnection("live");
      assertThat(b.id("ending-notice")).hasCount(0);

      a.go("#/couple");
      a.id("couple-leave").click();
      assertThat(a.id("confirm-leave")).containsText("Leave the joint space?");
      // Both browsers seal what they keep as soon as the joint space ends.
      b.page.waitForResponse(FINISHED, () -> a.page.waitForResponse(FINISHED, () -> a.id("dialog-confirm").click()));
      assertThat(a.id("join-form")).isVisible();
      // The one who left is not told that someone left.
      assertThat(a.id("ending-notice")).hasCount(0);

      // Bob's open page says who left, without a reload.
      assertThat(b.id("ending-notice")).containsText("Alice left the joint space");
      assertThat(b.id("ending-notice")).containsText("Kept words");
      assertThat(b.id("home-pair")).isVisible();
      // It stays after a reload until dismissed.
      b.page.reload();
      b.expectTitle("Hello, Bob");
      assertThat(b.id("ending-notice")).containsText("Alice left the joint space");
      b.id("ending-kept").click();
      b.expectTitle("Kept words");
      assertThat(keptItems(b)).hasCount(2);
      Locator bobsKept = b.id("kept-list");
      assertThat(bobsKept).containsText("BOB-TITLE-" + tag);
      assertThat(bobsKept).containsText("BOB-SHARED-" + tag);
      assertThat(bobsKept).containsText("BOB-NOTE-" + tag);
      assertThat(bobsKept).not().containsText("ALICE-");
      assertThat(b.id("sealed-error")).hasCount(0);

      a.go("#/kept");
      assertThat(keptItems(a)).hasCount(2);
      Locator alicesKept = a.id("kept-list");
      assertThat(alicesKept).containsText("ALICE-TITLE-" + tag);
      assertThat(alicesKept).containsText("ALICE-SHARED-" + tag);
      assertThat(alicesKept).containsText("ALICE-NOTE-" + tag);
      assertThat(alicesKept).not().containsText("BOB-");

      // Dismissed, the notice is gone for good, on this page and after a reload.
      b.go("#/couple");
      assertThat(b.id("ending-notice")).containsText("Alice left the joint space");
      b.id("ending-dismiss").click();
      assertThat(b.id("ending-notice")).hasCount(0);
      assertNull(bob.get("/api/me").bodyAsJsonObject().getValue("ending"));
      b.page.reload();
      assertThat(b.id("join-form")).isVisible();
      assertThat(b.id("ending-notice")).hasCount(0);
      b.go("#/home");
      assertThat(b.id("home-pair")).isVisible();
      assertThat(b.id("ending-notice")).hasCount(0);

      // The server holds the kept words only as envelopes, and keeps no key to them.
      for (Api person : List.of(alice, bob)) {
        JsonObject me = person.get("/api/me").bodyAsJsonObject();
        assertFalse(me.getBoolean("unsealed"), me.encode());
        JsonArray kept = person.get("/api/kept").bodyAsJsonObject().getJsonArray("kept");
        assertEquals(2, kept.size());
        for (int i = 0; i < kept.size(); i++) {
          JsonObject item = kept.getJsonObject(i);
          assertTrue(item.getJsonObject("sealed").containsKey("ct"), item.encode());
          assertEquals(1, item.getJsonObject("sealed").getInteger("v"));
        }
      }
      String database = server.dumpDatabase();
      for (String planted : List.of("ALICE-TITLE-" + tag, "ALICE-SHARED-" + tag, "ALICE-NOTE-" + tag,
          "BOB-TITLE-" + tag, "BOB-SHARED-" + tag, "BOB-NOTE-" + tag)) {
        assertFalse(database.contains(planted), "the database still holds \"" + planted + "\" readable");
      }
      a.assertNoProblems();
      b.assertNoProblems();
    }
  }

  @Test
  void myDataDownloadsThePrivateWorkOpenedWhileTheServerSentOnlyEnvelopes() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Api api = server.register("Dana");
    String reflectionId = UUID.randomUUID().toString();
    String partId = UUID.randomUUID().toString();
    String checkinId = UUID.randomUUID().toString();
    assertEquals(201, api.saveReflection(reflectionId, "free-blank-page",
        new JsonObject().put("on-your-mind", "EXPORT-REFLECTION-" + tag), "complete", null).statusCode());
    assertEquals(201, api.savePart(partId, new JsonObject().put("name", "EXPORT-PART-" + tag).put("role", "exile")
        .put("belief", "EXPORT-BELIEF-" + tag), null).statusCode());
    assertEquals(201, api.saveCheckin(checkinId, null, new JsonObject().put("emotions", new JsonArray().add("hopeful"))
        .put("intensity", 4).put("note", "EXPORT-CHECKIN-" + tag), null).statusCode());
    List<String> planted = List.of("EXPORT-REFLECTION-" + tag, "EXPORT-PART-" + tag, "EXPORT-BELIEF-" + tag, "EXPORT-CHECKIN-" + tag);

    try (Person dana = Person.desktop(browser, server, "Dana").signInAs(api)) {
      dana.go("#/account");
      Download[] download = new Download[1];
      Response raw = dana.page.waitForResponse(r -> r.url().endsWith("/api/me/export"),
          () -> download[0] = dana.download(dana.id("export-data")));
      assertEquals(200, raw.status());

      // What the server sent: envelopes only.
      String sent = raw.text();
      for (String p : planted) assertFalse(sent.contains(p), "the server's export holds \"" + p + "\" readable");
      assertTrue(sent.contains("\"sealed\""), sent);

      // The file the browser saved: plain JSON, private work opened, no envelopes, no wrapped key.
      assertTrue(download[0].suggestedFilename().matches("bridgework-export-\\d{4}-\\d{2}-\\d{2}\\.json"), download[0].suggestedFilename());
      JsonObject file = new JsonObject(Person.text(download[0]));
      String all = file.encode();
      for (String p : planted) assertTrue(all.contains(p), "the downloaded file holds \"" + p + "\": " + all);
      assertFalse(all.contains("\"sealed\""), "no envelopes left in the file: " + all);
      assertFalse(file.containsKey("vault"), "the wrapped vault key is not in the file");
      assertFalse(all.contains("sealedError") || all.contains("unreadable"), all);

      JsonObject reflection = find(all, file, "reflections", reflectionId);
      assertEquals("EXPORT-REFLECTION-" + tag, reflection.getJsonObject("answers").getString("on-your-mind"));
      assertEquals("complete", reflection.getString("status"));
      JsonObject part = find(all, file, "parts", partId);
      assertEquals("EXPORT-PART-" + tag, part.getString("name"));
      assertEquals("exile", part.getString("role"));
      JsonObject checkin = find(all, file, "checkins", checkinId);
      assertEquals("EXPORT-CHECKIN-" + tag, checkin.getString("note"));
      assertEquals(4, checkin.getInteger("intensity"));
      assertEquals(new JsonArray().add("hopeful"), checkin.getJsonArray("emotions"));
      dana.assertNoProblems();
    }
  }

  /** The item with this id in the file's list {@code key}, at the top level or one section down. */
  private static JsonObject find(String all, JsonObject file, String key, String id) {
    JsonArray list = file.getJsonArray(key);
    if (list == null) {
      for (String section : file.fieldNames()) {
        if (file.getValue(section) instanceof JsonObject nested && nested.getJsonArray(key) != null) list = nested.getJsonArray(key);
      }
    }
    assertTrue(list != null, "the file has " + key + ": " + all);
    for (int i = 0; i < list.size(); i++) {
      if (id.equals(list.getJsonObject(i).getString("id"))) return list.getJsonObject(i);
    }
    throw new AssertionError(id + " is not among the file's " + key + ": " + all);
  }

  @Test
  void aPasswordChangeSignsOutTheOtherDeviceThatIsOpenAndItNeedsTheNewPassword() {
    try (Person laptop = Person.desktop(browser, server, "Jordan").signUp();
         Person phone = laptop.anotherDevice(browser, server, Person.PHONE_W, Person.PHONE_H)) {
      String planted = "open-on-the-phone-" + UUID.randomUUID();
      String id = UUID.randomUUID().toString();
      laptop.go("#/run/free-blank-page/" + id);
      laptop.id("step-text").fill(planted);
      assertThat(laptop.id("save-state")).hasAttribute("data-state", "saved");

      // The phone is open on the reflections, live.
      phone.go("#/reflections");
      Locator onPhone = phone.page.locator("[data-testid='reflection-item'][data-reflection-id='" + id + "']");
      assertThat(onPhone).containsText(planted);
      phone.expectConnection("live");
      long phoneSockets = phone.openSockets();
      assertEquals(1, phoneSockets);

      laptop.go("#/account");
      laptop.id("password-current").fill(Person.PASSWORD);
      laptop.id("password-new").fill("a changed password 2");
      laptop.id("password-new-confirm").fill("a changed password 2");
      laptop.id("password-submit").click();
      laptop.keepRecoveryCode();
      laptop.password = "a changed password 2";
      assertThat(laptop.id("account-email")).hasText(laptop.email);

      // The phone's open tab is told at once (its socket closes with 4401): back to sign-in, nothing private left.
      phone.expectTitle("Welcome back");
      assertThat(phone.id("auth-notice")).hasText("Your session has ended. Please sign in again.");
      assertEquals(0, phone.openSockets(), "the phone's socket is closed");
      assertThat(phone.page.getByText(planted)).hasCount(0);
      assertEquals(0, ((Number) phone.page.evaluate("() => sessionStorage.length")).intValue(), "no key blob stays");
      assertEquals(401, ((Number) phone.page.evaluate("async () => (await fetch('/api/me')).status")).intValue());

      // The old password no longer signs in; the new one does, and the words are all there.
      phone.id("signin-email").fill(phone.email);
      phone.id("signin-password").fill(Person.PASSWORD);
      phone.id("signin-submit").click();
      assertThat(phone.id("auth-error")).isVisible();
      phone.password = laptop.password;
      phone.signIn();
      phone.go("#/reflections");
      assertThat(onPhone).containsText(planted);

      // The laptop, which changed it, stayed signed in and unlocked.
      laptop.go("#/reflections");
      assertThat(laptop.page.locator("[data-testid='reflection-item'][data-reflection-id='" + id + "']")).containsText(planted);
      laptop.expectConnection("live");
      laptop.assertNoProblems();
      phone.assertNoProblems();
    }
  }
}
