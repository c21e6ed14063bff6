package dev.bridgework.ui;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.bridgework.testing.ClientCrypto;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end encryption in real Chromium (docs/ENCRYPTION.md): the recovery code, "I forgot my
 * password", password changes across devices, staying unlocked across a reload but not beyond the
 * session, "Lock now", what the server and the browser's storage never see, envelopes that do not
 * open, and envelopes the web app sealed opening in Java.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class E2eeBrowserTest extends BrowserTestSupport {
  private static final String FREE = "free-blank-page";

  /** Writes a free reflection's first step and waits until it is saved; answers its id. */
  private static String writeReflection(Person p, String text) {
    String id = UUID.randomUUID().toString();
    p.go("#/run/" + FREE + "/" + id);
    p.id("step-text").fill(text);
    assertThat(p.id("save-state")).hasAttribute("data-state", "saved");
    return id;
  }

  private static Locator reflectionItem(Person p, String id) {
    return p.page.locator("[data-testid='reflection-item'][data-reflection-id='" + id + "']");
  }

  @SuppressWarnings("unchecked")
  private static JsonObject fetchJson(Person p, String path) {
    Object result = p.page.evaluate("async (path) => (await fetch(path, { headers: { Accept: 'application/json' } })).json()", path);
    return new JsonObject((Map<String, Object>) result);
  }

  private static void assertNeverSent(Person p, String... secrets) {
    String sent = p.sentText();
    assertFalse(sent.isEmpty(), "requests were recorded");
    for (String secret : secrets) {
      assertFalse(sent.contains(secret), p.name + "'s tab sent \"" + secret + "\" to the server");
    }
  }

  @Test
  void theRecoveryCodeOpensThePrivateWorkAgainAndTheServerNeverSeesThePasswordOrTheWords() {
    try (Person alex = Person.desktop(browser, server, "Alex")) {
      alex.signUp();
      String firstCode = alex.recoveryCode;
      String planted = "planted-words-" + UUID.randomUUID();
      String id = writeReflection(alex, "Tonight I felt far away. " + planted);
      alex.signOut();

      // A code with a typo in its shape is explained before anything is sent.
      alex.page.navigate("/#/signin");
      alex.id("goto-forgot").click();
      alex.expectTitle("Choose a new password");
      alex.id("forgot-email").fill(alex.email);
      alex.id("forgot-code").fill("ABCDE-FGHIJ");
      alex.id("forgot-password").fill("a brand new password 1");
      alex.id("forgot-password-confirm").fill("a brand new password 1");
      alex.id("forgot-submit").click();
      assertThat(alex.id("auth-error")).containsText("26 letters and digits");
      // A well-formed code that is not Alex's fails with a clear message and changes nothing.
      alex.id("forgot-code").fill(ClientCrypto.formatRecoveryCode(ClientCrypto.random(16)).toLowerCase());
      alex.id("forgot-submit").click();
      assertThat(alex.id("auth-error")).containsText("does not match");
      assertThat(alex.id("forgot-code")).hasAttribute("aria-invalid", "true");

      // The right code (typed in lower case with spaces) sets a new password and shows a NEW code.
      alex.id("forgot-code").fill(firstCode.toLowerCase().replace('-', ' '));
      alex.id("forgot-submit").click();
      alex.keepRecoveryCode();
      assertFalse(firstCode.equals(alex.recoveryCode), "a recovery shows a new recovery code");
      alex.expectTitle("Hello, Alex");
      alex.password = "a brand new password 1";

      alex.go("#/reflections");
      assertThat(reflectionItem(alex, id)).containsText(planted);

      // Signed out, the old password no longer works; the new one does.
      alex.signOut();
      alex.id("signin-email").fill(alex.email);
      alex.id("signin-password").fill(Person.PASSWORD);
      alex.id("signin-submit").click();
      assertThat(alex.id("auth-error")).isVisible();
      alex.signIn();
      alex.go("#/reflections");
      assertThat(reflectionItem(alex, id)).containsText(planted);

      assertNeverSent(alex, Person.PASSWORD, alex.password, planted, firstCode, alex.recoveryCode,
          firstCode.replace("-", ""), alex.recoveryCode.replace("-", ""));
      alex.assertNoProblems();
    }
  }

  @Test
  void aPasswordChangeOnOneDeviceMeansTheOtherDeviceNeedsTheNewPassword() {
    try (Person laptop = Person.desktop(browser, server, "Robin").signUp();
         Person phone = Person.phone(browser, server, "Robin")) {
      phone.email = laptop.email;
      String planted = "changed-lock-" + UUID.randomUUID();
      String id = writeReflection(laptop, planted);

      laptop.go("#/account");
      laptop.id("password-current").fill("not my password at all");
      laptop.id("password-new").fill("the second password");
      laptop.id("password-new-confirm").fill("the second password");
      laptop.id("password-submit").click();
      assertThat(laptop.id("password-error")).containsText("not your current password");
      laptop.id("password-current").fill(Person.PASSWORD);
      laptop.id("password-submit").click();
      laptop.keepRecoveryCode();
      laptop.password = "the second password";
      assertThat(laptop.id("account-email")).hasText(laptop.email);
      laptop.go("#/reflections");
      assertThat(reflectionItem(laptop, id)).containsText(planted);

      // The phone, signed out, needs the new password.
      phone.page.navigate("/#/signin");
      phone.id("signin-email").fill(phone.email);
      phone.id("signin-password").fill(Person.PASSWORD);
      phone.id("signin-submit").click();
      assertThat(phone.id("auth-error")).isVisible();
      phone.password = "the second password";
      phone.signIn();
      phone.go("#/reflections");
      assertThat(reflectionItem(phone, id)).containsText(planted);

      assertNeverSent(laptop, Person.PASSWORD, "the second password", planted);
      assertNeverSent(phone, Person.PASSWORD, "the second password", planted);
      laptop.assertNoProblems();
      phone.assertNoProblems();
    }
  }

  @Test
  void aReloadStaysUnlockedButSignOutAndANewProfileDoNotAndNothingKeyLikeStays() {
    try (Person sky = Person.desktop(browser, server, "Sky").signUp()) {
      String planted = "reload-words-" + UUID.randomUUID();
      String id = writeReflection(sky, planted);
      sky.go("#/reflections");
      sky.page.reload();
      assertThat(reflectionItem(sky, id)).containsText(planted);
      sky.assertStoresNothing();

      // A second tab of the same browser is unlocked by the first one (never by the raw key).
      Page second = sky.context.newPage();
      second.navigate("/#/reflections");
      assertThat(second.locator("[data-testid='reflection-item'][data-reflection-id='" + id + "']")).containsText(planted);
      second.close();

      // Another browser profile has neither the cookie nor the key.
      try (Person other = Person.desktop(browser, server, "Sky")) {
        other.page.navigate("/#/reflections");
        other.expectTitle("Welcome back");
      }

      sky.signOut();
      Object left = sky.page.evaluate("""
          async () => ({
            local: Object.keys(localStorage),
            session: Object.keys(sessionStorage),
            indexedDb: (await indexedDB.databases()).map((d) => d.name),
            caches: await caches.keys(),
          })""");
      assertEquals("{caches=[], indexedDb=[], local=[], session=[]}", new java.util.TreeMap<>((Map<?, ?>) left).toString());
      sky.page.navigate("/#/reflections");
      sky.expectTitle("Welcome back");
      sky.page.reload();
      sky.expectTitle("Welcome back");
      sky.assertNoProblems();
    }
  }

  @Test
  void lockNowForgetsTheKeyUntilThePasswordOpensItAgain() {
    try (Person kai = Person.desktop(browser, server, "Kai").signUp()) {
      String planted = "locked-words-" + UUID.randomUUID();
      String id = writeReflection(kai, planted);
      kai.go("#/reflections");
      assertThat(reflectionItem(kai, id)).containsText(planted);

      kai.id("lock-now").click();
      kai.expectTitle("Your private space is locked");
      assertThat(kai.page.getByText(planted)).hasCount(0);
      assertThat(kai.id("nav")).isHidden();
      assertEquals(0, ((Number) kai.page.evaluate("() => sessionStorage.length")).intValue());
      // A reload does not bring the key back.
      kai.page.reload();
      kai.expectTitle("Your private space is locked");

      kai.id("unlock-password").fill("wrong password here");
      kai.id("unlock-submit").click();
      assertThat(kai.id("unlock-error")).containsText("does not match");
      kai.id("unlock-password").fill(Person.PASSWORD);
      kai.id("unlock-submit").click();
      assertThat(reflectionItem(kai, id)).containsText(planted);
      kai.expectConnection("live");
      assertNeverSent(kai, Person.PASSWORD, planted);
      kai.assertNoProblems();
    }
  }

  @Test
  void anEnvelopeMovedOntoAnotherReflectionShowsAClearMessageNotGarbage() {
    try (Person noa = Person.desktop(browser, server, "Noa").signUp()) {
      String first = "first-words-" + UUID.randomUUID();
      String a = writeReflection(noa, first);
      String b = writeReflection(noa, "second words");
      noa.go("#/reflections");
      assertThat(reflectionItem(noa, b)).containsText("second words");

      JsonObject ra = fetchJson(noa, "/api/reflections/" + a);
      JsonObject rb = fetchJson(noa, "/api/reflections/" + b);
      JsonObject body = new JsonObject().put("exerciseId", rb.getString("exerciseId")).put("status", rb.getString("status"))
          .put("sealed", ra.getJsonObject("sealed")).put("version", rb.getInteger("version"));
      Object status = noa.page.evaluate("""
          async ([id, body]) => (await fetch('/api/reflections/' + id, {
            method: 'PUT', headers: { 'Content-Type': 'application/json' }, body })).status""",
          java.util.List.of(b, body.encode()));
      assertEquals(200, ((Number) status).intValue());

      noa.page.reload();
      Locator moved = reflectionItem(noa, b);
      assertThat(moved.getByTestId("sealed-error")).containsText("could not be opened on this device");
      assertThat(moved).not().containsText(first);
      assertThat(reflectionItem(noa, a)).containsText(first);
      // Opening it in the runner says the same, and offers nothing to edit over it.
      noa.go("#/run/" + FREE + "/" + b);
      assertThat(noa.id("sealed-error")).isVisible();
      assertThat(noa.id("step-text")).hasCount(0);
      noa.assertNoProblems();
    }
  }

  @Test
  void whatTheWebAppSealsOpensInJavaWithTheVaultKeyFromTheRecoveryCode() {
    try (Person ari = Person.desktop(browser, server, "Ari").signUp()) {
      String words = "sealed in the browser, opened in Java " + UUID.randomUUID();
      String id = writeReflection(ari, words);

      JsonObject stored = fetchJson(ari, "/api/reflections/" + id);
      assertFalse(stored.encode().contains(words), "the server holds no plain words");
      JsonObject me = fetchJson(ari, "/api/me");
      byte[] code = ClientCrypto.parseRecoveryCode(ari.recoveryCode);
      byte[] vaultKey = ClientCrypto.openBytes(ClientCrypto.recoveryKey(code), ClientCrypto.VAULT_AAD,
          me.getJsonObject("vault").getJsonObject("recovery"));
      JsonObject opened = ClientCrypto.open(vaultKey, "reflection/" + id, stored.getJsonObject("sealed"));
      assertEquals(words, opened.getJsonObject("answers").getString("on-your-mind"));
      assertTrue(server.dumpDatabase().indexOf(words) < 0, "the database holds no plain words");
    }
  }
}
