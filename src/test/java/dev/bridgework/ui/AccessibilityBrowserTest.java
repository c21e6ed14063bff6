package dev.bridgework.ui;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * axe-core on every main screen, filled with realistic content, at desktop (1280×900) and phone
 * (375×812) width: no serious or critical violation, nothing wider than a phone screen, and no
 * console error or CSP violation on the way (the server's CSP has no 'unsafe-inline').
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class AccessibilityBrowserTest extends BrowserTestSupport {
  private final List<String> failures = new ArrayList<>();

  /** Checks the screen as it is at both widths, then returns to desktop width. */
  private void check(Person p, String screen) {
    for (int[] size : new int[][] {{Person.DESKTOP_W, Person.DESKTOP_H}, {Person.PHONE_W, Person.PHONE_H}}) {
      p.page.setViewportSize(size[0], size[1]);
      String where = screen + " at " + size[0] + "px";
      p.axeProblems().forEach(v -> failures.add(where + ": " + v));
      if (size[0] == Person.PHONE_W && p.overflowsSideways()) failures.add(where + ": wider than the screen");
    }
    p.page.setViewportSize(Person.DESKTOP_W, Person.DESKTOP_H);
  }

  private static JsonObject put(Api api, String path, JsonObject body) {
    var r = api.put(path, body);
    assertTrue(r.statusCode() == 200 || r.statusCode() == 201, path + " " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  @Test
  void everyMainScreenHasNoSeriousOrCriticalViolationAtDesktopAndPhoneWidth() {
    // Content on every screen, so the rules meet real lists, cards, badges and forms.
    Api a = server.register("Alex");
    Api b = server.register("Sam");
    Pairing.pair(a, b);
    String reflectionId = UUID.randomUUID().toString();
    assertEquals(201, a.saveReflection(reflectionId, "mirror-recent-moment", new JsonObject()
        .put("what-happened", "We planned a quiet evening and I ended up alone.")
        .put("what-you-felt", new JsonArray().add("lonely").add("hurt")).put("how-strong", 7), "draft", null).statusCode());
    assertEquals(201, a.savePart(UUID.randomUUID().toString(), new JsonObject().put("name", "The Worrier").put("role", "manager")
        .put("belief", "I am too much.").put("needs", "Rest."), null).statusCode());
    assertEquals(201, a.saveCheckin(UUID.randomUUID().toString(), java.time.Instant.now().toString(), new JsonObject()
        .put("emotions", new JsonArray().add("tender")).put("intensity", 6).put("note", "Calmer after the walk."), null).statusCode());
    String mine = UUID.randomUUID().toString();
    put(a, "/api/shares/" + mine, new JsonObject().put("title", "A quiet evening").put("reflectionId", reflectionId)
        .put("excerpts", new JsonArray().add(new JsonObject().put("stepId", "what-happened").put("text", "We planned a quiet evening and I ended up alone.")))
        .put("note", "Could we talk on Sunday?").put("intent", "respond"));
    String theirs = UUID.randomUUID().toString();
    put(b, "/api/shares/" + theirs, new JsonObject().put("title", "Sunday mornings")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "I miss our slow Sunday mornings."))).put("intent", "listen"));
    put(b, "/api/shares/" + mine + "/responses/" + UUID.randomUUID(), new JsonObject().put("kind", "ack").put("ack", "hear_you"));
    put(a, "/api/shares/" + theirs + "/responses/" + UUID.randomUUID(), new JsonObject().put("kind", "comment").put("text", "Me too."));
    put(a, "/api/shares/" + theirs + "/counseling", new JsonObject().put("flag", true));

    try (Person alex = Person.desktop(browser, server, "Alex")) {
      alex.page.navigate("/#/signin");
      alex.expectTitle("Welcome back");
      check(alex, "sign-in");
      alex.id("signin-submit").click();
      assertThat(alex.id("auth-error")).isVisible();
      check(alex, "sign-in with an error");
      alex.id("goto-signup").click();
      alex.expectTitle("Create your private space");
      check(alex, "sign-up");

      alex.signInAs(a);
      assertThat(alex.id("home-draft")).isVisible();
      check(alex, "home");
      // Keyboard: on a fresh load the first Tab reaches the skip link, which moves focus to the heading.
      alex.page.reload();
      assertThat(alex.id("home-draft")).isVisible();
      alex.page.keyboard().press("Tab");
      assertThat(alex.page.locator("[data-action='skip']")).isFocused();
      assertThat(alex.page.locator("[data-action='skip']")).isInViewport();
      alex.page.keyboard().press("Enter");
      assertThat(alex.id("page-title")).isFocused();

      alex.go("#/exercises");
      assertThat(alex.id("exercise-card").first()).isVisible();
      check(alex, "exercises");

      alex.go("#/run/mirror-recent-moment/" + reflectionId);
      assertThat(alex.id("runner-step")).hasAttribute("data-step-kind", "text");
      check(alex, "runner (text step)");
      alex.id("runner-back").click();
      assertThat(alex.id("runner-step")).hasAttribute("data-step-kind", "scale");
      check(alex, "runner (scale step)");
      alex.id("runner-back").click();
      assertThat(alex.id("runner-step")).hasAttribute("data-step-kind", "emotions");
      check(alex, "runner (feelings step)");

      alex.go("#/reflections");
      assertThat(alex.id("reflection-item")).hasCount(1);
      check(alex, "reflections");

      alex.go("#/parts");
      assertThat(alex.id("part-card")).hasCount(1);
      check(alex, "parts map");
      alex.id("part-edit").click();
      assertThat(alex.id("part-form")).isVisible();
      check(alex, "parts map, editing");
      alex.id("part-cancel").click();

      alex.go("#/checkins");
      assertThat(alex.id("checkin-item")).hasCount(1);
      check(alex, "check-ins");

      alex.go("#/couple");
      assertThat(alex.id("couple-member")).hasCount(2);
      check(alex, "partner");

      alex.go("#/joint");
      assertThat(alex.id("share-card")).hasCount(2);
      assertThat(alex.id("response")).hasCount(2);
      check(alex, "joint space");
      alex.shareCard("A quiet evening").getByTestId("share-edit").click();
      assertThat(alex.id("share-edit-form")).isVisible();
      check(alex, "joint space, editing a share");
      alex.id("share-edit-cancel").click();
      // A confirmation opened from the keyboard: focus goes to the safe choice, Escape closes it
      // and puts focus back where it was.
      alex.shareCard("A quiet evening").getByTestId("share-withdraw").focus();
      alex.page.keyboard().press("Enter");
      assertThat(alex.id("confirm-withdraw")).isVisible();
      assertThat(alex.id("dialog-cancel")).isFocused();
      check(alex, "withdraw dialog");
      alex.page.keyboard().press("Escape");
      assertThat(alex.id("confirm-withdraw")).hasCount(0);
      assertThat(alex.shareCard("A quiet evening").getByTestId("share-withdraw")).isFocused();
      assertThat(alex.shareCard("A quiet evening")).isVisible();

      alex.go("#/share/" + reflectionId);
      assertThat(alex.id("share-pick")).hasCount(3);
      alex.id("share-pick-check").first().check();
      check(alex, "share composer");
      alex.id("share-preview").click();
      assertThat(alex.id("share-preview-card")).isVisible();
      check(alex, "share preview");

      alex.go("#/review");
      assertThat(alex.id("review-none")).isVisible();
      check(alex, "review, none open");
      alex.id("review-start").click();
      assertThat(alex.id("review-agenda-item")).hasCount(1);
      alex.id("review-note").fill("A note for the counselor.");
      assertThat(alex.id("review-note-state")).hasText("Saved");
      check(alex, "review, open");

      alex.go("#/account");
      check(alex, "my data");
      alex.id("account-delete").click();
      assertThat(alex.id("confirm-delete-account")).isVisible();
      check(alex, "delete-account dialog");
      alex.id("dialog-cancel").click();

      // The phone menu, open.
      alex.page.setViewportSize(Person.PHONE_W, Person.PHONE_H);
      alex.id("nav-toggle").click();
      assertThat(alex.id("nav-joint")).isVisible();
      alex.axeProblems().forEach(v -> failures.add("open phone menu: " + v));

      assertEquals(List.of(), failures, "accessibility and layout problems");
      // The check itself can fail: a button without a name is a critical violation.
      alex.page.evaluate("() => document.querySelector('main').appendChild(document.createElement('button'))");
      assertTrue(alex.axeProblems().stream().anyMatch(v -> v.startsWith("button-name (critical)")), "axe-core reports what it should");
      alex.assertNoProblems();
    }
  }

  @Test
  void theEncryptionScreensHaveNoSeriousOrCriticalViolationAtDesktopAndPhoneWidth() {
    try (Person kim = Person.desktop(browser, server, "Kim")) {
      kim.email = "kim-a11y-" + UUID.randomUUID() + "@example.test";
      kim.page.navigate("/#/signup");
      kim.id("signup-name").fill("Kim");
      kim.id("signup-email").fill(kim.email);
      kim.id("signup-password").fill(Person.PASSWORD);
      kim.id("signup-password-confirm").fill("something else entirely");
      kim.id("signup-submit").click();
      assertThat(kim.id("auth-error")).containsText("not the same");
      check(kim, "sign-up, passwords differ");
      kim.id("signup-password-confirm").fill(Person.PASSWORD);
      kim.id("signup-submit").click();
      assertThat(kim.id("recovery-code")).isVisible();
      check(kim, "recovery code");
      kim.id("recovery-continue").click();
      assertThat(kim.id("recovery-error")).isVisible();
      check(kim, "recovery code, not confirmed");
      kim.keepRecoveryCode();
      kim.expectTitle("Hello, Kim");

      // An entry whose envelope does not open, and the kept words page.
      String a = UUID.randomUUID().toString();
      String b = UUID.randomUUID().toString();
      for (String id : new String[] {a, b}) {
        kim.go("#/run/free-blank-page/" + id);
        kim.id("step-text").fill("Words for " + id);
        assertThat(kim.id("save-state")).hasAttribute("data-state", "saved");
      }
      kim.page.evaluate("""
          async ([a, b]) => {
            const ra = await (await fetch('/api/reflections/' + a)).json();
            const rb = await (await fetch('/api/reflections/' + b)).json();
            await fetch('/api/reflections/' + b, { method: 'PUT', headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ exerciseId: rb.exerciseId, status: rb.status, sealed: ra.sealed, version: rb.version }) });
          }""", List.of(a, b));
      kim.go("#/reflections");
      assertThat(kim.id("sealed-error")).hasCount(1);
      check(kim, "reflections with an entry that does not open");
      kim.go("#/kept");
      assertThat(kim.id("kept-empty")).isVisible();
      check(kim, "kept words");
      kim.go("#/account");
      kim.id("password-submit").click();
      assertThat(kim.id("password-error")).isVisible();
      check(kim, "my data, password change with an error");

      kim.id("lock-now").click();
      kim.expectTitle("Your private space is locked");
      check(kim, "unlock");
      kim.id("unlock-password").fill("not the password");
      kim.id("unlock-submit").click();
      assertThat(kim.id("unlock-error")).isVisible();
      check(kim, "unlock with an error");

      kim.id("unlock-forgot").click();
      kim.expectTitle("Choose a new password");
      check(kim, "forgot password");
      kim.id("forgot-email").fill(kim.email);
      kim.id("forgot-code").fill("not a code");
      kim.id("forgot-password").fill("a new password here");
      kim.id("forgot-password-confirm").fill("a new password here");
      kim.id("forgot-submit").click();
      assertThat(kim.id("auth-error")).isVisible();
      check(kim, "forgot password with an error");

      assertEquals(List.of(), failures, "accessibility and layout problems");
      kim.assertNoProblems();
    }
  }
}
