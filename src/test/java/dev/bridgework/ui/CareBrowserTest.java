package dev.bridgework.ui;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.WaitUntilState;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Care and safety (#15, docs/SAFETY.md): help one step away on every screen, the quick exit, the
 * first-day tour, endings seen from both sides, closing a review, the quieter joint space, and
 * axe-core in both themes at desktop and phone width.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class CareBrowserTest extends BrowserTestSupport {
  private static final Pattern AWAY = Pattern.compile(".*/away\\.html$");

  private static String share(Api api, String title, String intent) {
    server.clock.advance(Duration.ofMinutes(1));
    String id = UUID.randomUUID().toString();
    var r = api.put("/api/shares/" + id, new JsonObject().put("title", title).put("intent", intent)
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", title + ", in my own words."))));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  private static void flag(Api api, String shareId) {
    assertEquals(200, api.put("/api/shares/" + shareId + "/counseling", new JsonObject().put("flag", true)).statusCode());
  }

  /** Colours are checked once a theme change's transitions (buttons fade their background) have ended. */
  private static void settled(Person p) {
    p.page.waitForFunction("() => document.getAnimations().every((a) => a.playState !== 'running')");
  }

  private static void openHelpFrom(Person p, String hash) {
    p.go(hash);
    p.id("get-help").click();
    p.expectTitle("Get help");
    assertThat(p.id("help-emergency")).containsText("local emergency number");
  }

  @Test
  void helpIsOneStepAwayOnEveryScreenSignedInSignedOutAndLocked() {
    try (Person visitor = Person.phone(browser, server, "Visitor")) {
      visitor.page.navigate("/#/signin");
      visitor.expectTitle("Welcome back");
      visitor.id("get-help").click();
      visitor.expectTitle("Get help");
      assertThat(visitor.id("help-region").first()).isVisible();
      assertTrue(visitor.id("help-region").count() >= 4, "a few countries by default");
      assertThat(visitor.id("help-not-safe")).containsText("afraid");
      assertThat(visitor.id("help-not-safe")).containsText("not the right tool");
      assertThat(visitor.page.locator("[data-testid='help-resource'][data-kind='domestic-violence']").first()).isVisible();
      assertThat(visitor.id("welcome-again")).hasCount(0);
      visitor.page.navigate("/#/signup");
      visitor.id("footer-help").click();
      visitor.expectTitle("Get help");
      visitor.assertNoProblems();
    }

    Api a = server.register("Alex");
    Api b = server.register("Sam");
    Pairing.pair(a, b);
    share(b, "Sunday mornings", "listen");
    try (Person alex = Person.desktop(browser, server, "Alex").signInAs(a)) {
      for (String hash : List.of("#/home", "#/exercises", "#/run/mirror-recent-moment/" + UUID.randomUUID(), "#/reflections",
          "#/parts", "#/checkins", "#/kept", "#/couple", "#/joint", "#/review", "#/account")) {
        openHelpFrom(alex, hash);
      }
      assertThat(alex.id("welcome-again")).isVisible();
      // Locked: help is still there, and opens without the password.
      alex.go("#/home");
      alex.id("lock-now").click();
      assertThat(alex.page.locator("main[data-route='unlock']")).isVisible();
      alex.id("get-help").click();
      alex.expectTitle("Get help");
      alex.assertNoProblems();
    }
  }

  @Test
  void quickExitLeavesNothingOnTheBackButtonAndLocksTheVault() {
    Api a = server.register("Robin");
    try (Person robin = Person.desktop(browser, server, "Robin").signInAs(a)) {
      robin.go("#/exercises");
      robin.go("#/reflections");
      robin.go("#/joint");
      assertTrue((Boolean) robin.page.evaluate("() => sessionStorage.getItem('bridgework.vault') !== null"), "unlocked with a session blob");
      robin.id("quick-exit").click();
      robin.page.waitForURL(AWAY);
      assertThat(robin.page.locator("h1")).hasText("Simple recipes");
      assertFalse(robin.page.content().contains("Bridgework"), "the neutral page says nothing about Bridgework");
      assertEquals(null, robin.page.evaluate("() => sessionStorage.getItem('bridgework.vault')"), "the session blob is gone");

      // Back, and Back again: every earlier Bridgework entry bounces to the neutral page.
      for (int i = 0; i < 3; i++) {
        robin.page.goBack(new Page.GoBackOptions().setWaitUntil(WaitUntilState.COMMIT));
        robin.page.waitForURL(AWAY);
        assertThat(robin.page.locator("h1")).hasText("Simple recipes");
        assertThat(robin.page.locator("[data-testid='page-title']")).hasCount(0);
      }

      // Coming back on purpose (typed address, reload): signed in but locked, nothing private shown.
      robin.page.navigate("/#/reflections");
      assertThat(robin.page.locator("main[data-route='unlock']")).isVisible();
      robin.page.reload();
      assertThat(robin.page.locator("main[data-route='unlock']")).isVisible();
      assertThat(robin.id("nav")).isHidden();

      // The keyboard way: Escape twice, quickly.
      robin.id("unlock-password").fill(robin.password);
      robin.id("unlock-submit").click();
      robin.expectTitle("Your reflections");
      // Even mid-sentence in an exercise, with words not yet saved: no "Leave site?" in the way.
      robin.go("#/run/free-blank-page/" + UUID.randomUUID());
      robin.id("step-text").fill("Something I am not ready for anyone to see");
      robin.id("step-text").press("Escape");
      robin.id("step-text").press("Escape");
      robin.page.waitForURL(AWAY);
      robin.page.navigate("/#/home");
      assertThat(robin.page.locator("main[data-route='unlock']")).isVisible();
      robin.assertNoProblems();
    }
  }

  @Test
  void theFirstDayTourShowsOnceCanBeSkippedAndSuggestsAFirstExercise() {
    try (Person kim = Person.desktop(browser, server, "Kim").signUp()) {
      assertThat(kim.id("welcome")).isVisible();
      assertThat(kim.id("welcome-progress")).hasText("1 of 5");
      kim.id("welcome-next").click();
      assertThat(kim.id("welcome-title")).hasText("Four practices");
      assertThat(kim.id("welcome-title")).isFocused();
      kim.id("welcome-skip").click();
      assertThat(kim.id("welcome")).hasCount(0);
      kim.page.reload();
      kim.expectTitle("Hello, Kim");
      assertThat(kim.id("welcome")).hasCount(0);
      kim.go("#/exercises");
      assertThat(kim.id("start-here-step")).hasCount(4);
      assertThat(kim.id("start-here-step").first()).hasAttribute("data-exercise-id", "checkin-how-are-you");
      kim.assertStoresNothing();
      kim.assertNoProblems();
    }
    try (Person lee = Person.phone(browser, server, "Lee").signUp()) {
      for (int i = 0; i < 4; i++) lee.id("welcome-next").click();
      assertThat(lee.id("welcome-progress")).hasText("5 of 5");
      lee.id("welcome-begin").click();
      assertThat(lee.page.locator("main[data-route='run']")).isVisible();
      lee.expectTitle("A recent moment of distance");
      lee.go("#/home");
      assertThat(lee.id("welcome")).hasCount(0);
      lee.assertNoProblems();
    }
  }

  @Test
  void leavingIsSeenFromBothSidesAndEachKeepsTheirOwnWords() {
    Api a = server.register("Alex");
    Api b = server.register("Sam");
    Pairing.pair(a, b);
    share(a, "What Alex shared", "respond");
    share(b, "What Sam shared", "listen");
    try (Person alex = Person.desktop(browser, server, "Alex").signInAs(a);
         Person sam = Person.phone(browser, server, "Sam").signInAs(b)) {
      alex.go("#/joint");
      assertThat(alex.id("share-card")).hasCount(2);
      sam.go("#/couple");
      sam.id("couple-leave").click();
      assertThat(sam.id("confirm-leave")).containsText("Alex will see a short notice that you left");
      assertThat(sam.id("leave-own-words")).containsText("Kept words");
      assertThat(sam.id("leave-their-words")).containsText("Alex’s words stay theirs");
      sam.id("dialog-confirm").click();
      assertThat(sam.id("couple-create")).isVisible();

      // Alex, live: a gentle notice, not "not paired yet".
      assertThat(alex.id("ending-notice")).containsText("Sam left the joint space on");
      assertThat(alex.id("not-paired")).hasCount(0);
      assertThat(alex.id("share-card")).hasCount(0);
      alex.go("#/review");
      assertThat(alex.id("ending-notice")).isVisible();
      assertThat(alex.id("not-paired")).hasCount(0);

      // Each keeps their own words, and only their own.
      alex.id("ending-kept").click();
      assertThat(alex.id("kept-title").filter(new Locator.FilterOptions().setHasText("What Alex shared"))).hasCount(1);
      assertThat(alex.page.getByText("What Sam shared")).hasCount(0);
      sam.go("#/kept");
      assertThat(sam.id("kept-title").filter(new Locator.FilterOptions().setHasText("What Sam shared"))).hasCount(1);
      assertThat(sam.page.getByText("What Alex shared")).hasCount(0);
      alex.assertNoProblems();
      sam.assertNoProblems();
    }
  }

  @Test
  void closingAReviewMarksItemsDiscussedAndKeepsOnlyCarriedOverOnesFlagged() {
    Api a = server.register("Alex");
    Api b = server.register("Sam");
    Pairing.pair(a, b);
    String settled = share(a, "Settled now", "discuss");
    String again = share(b, "Talk again", "discuss");
    flag(a, settled);
    flag(b, again);
    assertEquals(201, a.post("/api/reviews", new JsonObject()).statusCode());
    try (Person alex = Person.desktop(browser, server, "Alex").signInAs(a);
         Person sam = Person.desktop(browser, server, "Sam").signInAs(b)) {
      sam.go("#/joint");
      alex.go("#/review");
      assertThat(alex.id("review-step")).hasCount(5);
      assertThat(alex.id("review-step").last()).hasText("Close");
      double brief = alex.id("review-brief-section").boundingBox().y;
      double close = alex.id("review-close-section").boundingBox().y;
      double ready = alex.id("review-ready-section").boundingBox().y;
      double agenda = alex.id("review-agenda").boundingBox().y;
      assertTrue(agenda < ready && ready < brief && brief < close, "agenda, ready, brief, then closing last");
      alex.id("review-close").click();
      alex.page.locator("[data-testid='carry-over'][data-share-id='" + again + "']").check();
      alex.id("dialog-confirm").click();
      assertThat(alex.id("review-none")).isVisible();

      // Sam's joint space follows live: the settled item is discussed and unflagged, the other stays.
      assertThat(sam.shareCard("Settled now")).hasAttribute("data-counseling", "false");
      assertThat(sam.shareCard("Settled now").getByTestId("share-discussed")).isVisible();
      assertThat(sam.shareCard("Talk again")).hasAttribute("data-counseling", "true");
      assertThat(sam.shareCard("Talk again").getByTestId("share-discussed")).hasCount(0);
      alex.go("#/joint");
      assertThat(alex.shareCard("Settled now").getByTestId("share-discussed")).containsText("Discussed");
      assertThat(alex.shareCard("Talk again")).hasAttribute("data-counseling", "true");
      alex.assertNoProblems();
      sam.assertNoProblems();
    }
  }

  @Test
  void aListenOnlyShareOffersAcknowledgementsFirstAndAReplyOnlyOnRequest() {
    Api a = server.register("Alex");
    Api b = server.register("Sam");
    Pairing.pair(a, b);
    share(b, "Just hear me", "listen");
    share(b, "Tell me what you think", "respond");
    try (Person alex = Person.desktop(browser, server, "Alex").signInAs(a)) {
      alex.go("#/joint");
      Locator listen = alex.shareCard("Just hear me");
      assertThat(listen.getByTestId("intent-hint")).containsText("asked you to just listen");
      assertThat(listen.getByTestId("reply-area")).isHidden();
      assertThat(listen.getByTestId("reply-open")).hasText("Reply anyway");
      assertTrue((Boolean) listen.evaluate("card => !!(card.querySelector('[data-testid=\"ack-hear_you\"]')"
          + ".compareDocumentPosition(card.querySelector('[data-testid=\"reply-open\"]')) & Node.DOCUMENT_POSITION_FOLLOWING)"),
          "acknowledgements come before the reply");
      listen.getByTestId("ack-hear_you").click();
      assertThat(listen.getByTestId("response")).hasCount(1);

      Locator respond = alex.shareCard("Tell me what you think");
      assertThat(respond.getByTestId("intent-hint")).containsText("would like a response");
      assertThat(respond.getByTestId("reply-open")).hasText("Reply");
      assertThat(respond.getByTestId("reply-area")).isHidden();
      respond.getByTestId("reply-open").click();
      assertThat(respond.getByTestId("comment-text")).isFocused();
      respond.getByTestId("comment-text").fill("I think you're right.");
      respond.getByTestId("comment-submit").click();
      assertThat(respond.getByTestId("response")).hasCount(1);
      assertThat(respond.getByTestId("reply-area")).isHidden();
      alex.assertNoProblems();
    }
  }

  @Test
  void onAPhoneTheRunnersQuestionIsAboveTheFoldAndTheSaveStateIsPlain() {
    Api a = server.register("Pat");
    try (Person pat = Person.phone(browser, server, "Pat").signInAs(a)) {
      pat.go("#/run/mirror-recent-moment/" + UUID.randomUUID());
      pat.id("step-text").fill("We planned a quiet evening and I ended up alone.");
      assertThat(pat.id("save-state")).hasAttribute("data-state", "saved");
      assertThat(pat.id("save-state")).containsText("Saved");
      pat.id("runner-next").click();
      assertThat(pat.id("runner")).hasAttribute("data-compact", "");
      var prompt = pat.id("step-prompt").boundingBox();
      assertTrue(prompt.y + prompt.height <= Person.PHONE_H, "the question is above the fold: " + prompt.y);
      // One instruction per step: the feelings step's hint says how to choose, the picker does not repeat it.
      assertThat(pat.id("runner-step")).containsText("Pick as many words as fit");
      assertThat(pat.id("runner-step")).not().containsText("Choose any that fit");
      pat.assertNoProblems();
    }
  }

  @Test
  void careScreensHaveNoSeriousViolationsInBothThemesAtDesktopAndPhoneWidth() {
    Api a = server.register("Alex");
    Api b = server.register("Sam");
    Pairing.pair(a, b);
    String s1 = share(b, "Sunday mornings", "listen");
    share(a, "A quiet evening", "respond");
    flag(a, s1);
    List<String> failures = new ArrayList<>();
    try (Person alex = Person.desktop(browser, server, "Alex").signInAs(a)) {
      for (String theme : List.of("light", "dark")) {
        alex.page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme("dark".equals(theme) ? ColorScheme.DARK : ColorScheme.LIGHT));
        for (String hash : List.of("#/help", "#/home", "#/exercises", "#/run/mirror-recent-moment/" + UUID.randomUUID(), "#/joint", "#/review")) {
          alex.go(hash);
          if (hash.equals("#/review") && alex.id("review-start").count() > 0) alex.id("review-start").click();
          if (hash.equals("#/joint")) alex.shareCard("Sunday mornings").getByTestId("reply-open").click();
          for (int[] size : new int[][] {{Person.DESKTOP_W, Person.DESKTOP_H}, {Person.PHONE_W, Person.PHONE_H}}) {
            alex.page.setViewportSize(size[0], size[1]);
            String where = hash + " " + theme + " at " + size[0] + "px";
            settled(alex);
            alex.axeProblems().forEach(v -> failures.add(where + ": " + v));
            if (size[0] == Person.PHONE_W && alex.overflowsSideways()) failures.add(where + ": wider than the screen");
          }
          alex.page.setViewportSize(Person.DESKTOP_W, Person.DESKTOP_H);
        }
      }
      // The manual switch wins over the device's setting, and is remembered on this device.
      alex.page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
      alex.go("#/help");
      alex.id("theme-toggle").click();
      assertThat(alex.page.locator("html")).hasAttribute("data-theme", "dark");
      settled(alex);
      alex.axeProblems().forEach(v -> failures.add("#/help switched to dark: " + v));
      alex.page.reload();
      assertThat(alex.page.locator("html")).hasAttribute("data-theme", "dark");
      assertThat(alex.id("theme-toggle")).hasText("Theme: dark");
      String background = (String) alex.page.evaluate("() => getComputedStyle(document.body).backgroundColor");
      assertEquals("rgb(22, 21, 19)", background, "the dark palette applies");
      alex.assertNoProblems();
    }
    assertEquals(List.of(), failures);
  }
}
