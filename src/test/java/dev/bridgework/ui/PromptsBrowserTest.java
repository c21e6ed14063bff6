package dev.bridgework.ui;

import com.microsoft.playwright.Locator;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answer apart, reveal together; speak for your parts; hold a share for later (docs/PROMPTS.md),
 * with two partners in two browser profiles, and axe-core on the new screens at 1280 and 375 px.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class PromptsBrowserTest extends BrowserTestSupport {
  private final List<String> failures = new ArrayList<>();

  private void axe(Person p, String screen) {
    for (int[] size : new int[][] {{Person.DESKTOP_W, Person.DESKTOP_H}, {Person.PHONE_W, Person.PHONE_H}}) {
      p.page.setViewportSize(size[0], size[1]);
      p.axeProblems().forEach(v -> failures.add(screen + " at " + size[0] + "px: " + v));
      if (size[0] == Person.PHONE_W && p.overflowsSideways()) failures.add(screen + " at " + size[0] + "px: wider than the screen");
    }
    p.page.setViewportSize(Person.DESKTOP_W, Person.DESKTOP_H);
  }

  private static void pair(Person a, Person b) {
    String code = a.createJointSpace();
    b.join(code);
  }

  private static Locator answerBox(Person p, String questionId) {
    return p.page.locator("[data-testid='prompt-answer'][data-question-id='" + questionId + "']");
  }

  private static void slide(Person p, String testId, int value) {
    p.id(testId).evaluate("(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', { bubbles: true })); }", value);
  }

  @Test
  void twoPartnersAnswerApartAndTheSecondSubmissionRevealsBothAtOnceOnBothScreens() {
    try (Person alex = Person.desktop(browser, server, "Alex").signUp();
         Person sam = Person.desktop(browser, server, "Sam").signUp()) {
      pair(alex, sam);
      alex.go("#/prompts");
      axe(alex, "prompts list");
      alex.page.locator("[data-catalog-id='after-a-hard-moment'] [data-testid='prompt-propose']").click();
      assertThat(alex.id("prompt-form")).isVisible();
      String alexFelt = "Alex felt small and shut out when the door closed";
      answerBox(alex, "felt").fill(alexFelt);
      answerBox(alex, "needed").fill("Alex needed a pause and a kind word");
      assertThat(alex.id("prompt-draft-status")).hasText("Draft saved, just for you.");
      axe(alex, "answer form");
      // The draft is sealed in the browser: the server holds no readable copy.
      assertFalse(server.dumpDatabase().contains(alexFelt));
      alex.id("prompt-submit").click();
      assertThat(alex.id("prompt-waiting")).isVisible();
      assertThat(alex.id("prompt-partner-status")).hasText("not yet");
      axe(alex, "waiting for the partner");

      // Sam sees only that Alex has answered.
      sam.go("#/prompts");
      assertThat(sam.id("prompt-card")).hasCount(1);
      assertThat(sam.id("prompt-card").getByTestId("prompt-partner-status")).hasText("answered");
      assertFalse(sam.page.content().contains(alexFelt));
      sam.id("prompt-open").click();
      assertThat(sam.id("prompt-form")).isVisible();
      String samFelt = "Sam felt scared that we were drifting";
      answerBox(sam, "felt").fill(samFelt);
      assertFalse(sam.page.content().contains(alexFelt));
      sam.id("prompt-submit").click();

      // Both screens show both answers, Alex's without a reload.
      for (Person p : List.of(sam, alex)) {
        assertThat(p.id("prompt-revealed")).isVisible();
        assertThat(p.id("pair-card")).containsText(alexFelt);
        assertThat(p.id("pair-card")).containsText(samFelt);
        assertThat(p.id("pair-card")).containsText(p == sam ? "Alex's answer" : "Your answer");
      }
      axe(sam, "revealed pair");
      // The pair is in the joint space for both, and Sam can acknowledge it.
      sam.go("#/joint");
      Locator card = sam.page.locator("[data-testid='share-card']").filter(new Locator.FilterOptions().setHasText(alexFelt));
      assertThat(card).isVisible();
      card.getByTestId("ack-hear_you").click();
      assertThat(card.getByTestId("ack-hear_you")).hasAttribute("aria-pressed", "true");
      alex.assertNoProblems();
      sam.assertNoProblems();
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void theComposerExplainsItsHintsAndAHeldShareStaysPrivateIsRemindedWhenDueAndSentLater() {
    try (Person alex = Person.desktop(browser, server, "Ali").signUp();
         Person sam = Person.phone(browser, server, "Sol").signUp()) {
      pair(alex, sam);
      sam.go("#/joint");
      assertThat(sam.id("joint-empty")).isVisible();

      alex.go("#/share");
      String words = "You always ignore me and you make me feel crazy.";
      alex.id("share-free-text").fill(words);
      alex.id("share-title").fill("Last night held-title");
      alex.id("speakfor-toggle").click();
      Locator hints = alex.id("speakfor-hint");
      assertThat(hints).hasCount(3);
      for (String rule : List.of("absolute", "you-make-me", "label")) {
        Locator hint = alex.page.locator("[data-testid='speakfor-hint'][data-rule='" + rule + "']");
        assertThat(hint).isVisible();
        assertThat(hint.getByTestId("speakfor-why")).containsText("Why this hint:");
      }
      assertThat(alex.page.locator("[data-rule='label'] [data-testid='speakfor-match']")).hasText("crazy");
      axe(alex, "composer with hints");
      // A framing goes where the cursor is; the hints follow the words as they change.
      alex.id("share-free-text").fill("Last night was hard.");
      alex.id("share-free-text").focus();
      alex.id("speakfor-framing").first().click();
      assertTrue(alex.id("share-free-text").inputValue().contains("A part of me feels"));
      assertThat(alex.id("speakfor-clear")).isVisible();
      String held = "Last night was hard. A part of me feels unseen, held-words";
      alex.id("share-free-text").fill(held);

      // The preview, exactly as Sam will see it, and the Self-energy check.
      alex.id("share-preview").click();
      assertThat(alex.id("share-preview-card")).containsText(held);
      slide(alex, "self-energy-calm", 2);
      slide(alex, "self-energy-curious", 3);
      slide(alex, "self-energy-compassionate", 4);
      assertThat(alex.id("self-energy-low")).isVisible();
      axe(alex, "preview with the Self-energy check");
      // Hold it, to be reminded this evening (19:00 in the browser's zone: at most a day ahead).
      alex.id("share-hold-when").selectOption("evening");
      alex.id("share-hold").click();
      alex.expectTitle("Held for later");
      assertThat(alex.id("held-item")).hasCount(1);
      assertThat(alex.id("held-item")).hasAttribute("data-due", "false");
      assertThat(alex.id("held-reminder")).containsText("Reminder:");
      axe(alex, "held for later");

      // Held: not in Sam's view, and sealed on the server; only the reminder's time is in the clear.
      assertThat(sam.id("joint-empty")).isVisible();
      assertFalse(sam.page.content().contains("held-words"));
      String dump = server.dumpDatabase();
      assertFalse(dump.contains("held-words"));
      assertFalse(dump.contains("held-title"));
      assertTrue(dump.contains("heldReminders"), "the reminder's time is kept");

      // Not due yet: nothing waiting on Home.
      alex.go("#/home");
      assertThat(alex.id("home-exercises")).isVisible();
      assertThat(alex.id("home-held-due")).hasCount(0);

      // The server's clock moves past the evening, six hours at a time (both stay signed in: the
      // idle timeout is 12 h, and each visit refreshes it).
      for (int i = 0; i < 4; i++) {
        server.clock.advance(java.time.Duration.ofHours(6));
        alex.go("#/held");
        assertThat(alex.id("held-item")).hasCount(1);
        sam.go("#/joint");
        assertThat(sam.id("joint-empty")).isVisible();
      }
      server.clock.advance(java.time.Duration.ofMinutes(1));
      alex.go("#/held");
      assertThat(alex.id("held-item")).hasAttribute("data-due", "true");
      assertThat(alex.id("held-reminder")).containsText("Ready when you are");
      alex.go("#/home");
      assertThat(alex.id("home-held-due")).hasCount(1);
      assertThat(alex.id("home-held-link")).containsText("Last night held-title");
      axe(alex, "home with a held share due");
      assertFalse(sam.page.content().contains("held-title"), "Sam's screen shows nothing of it");

      // The reminder opens the held draft in the composer, exactly as Sam would see it; sent from there.
      alex.id("home-held-link").click();
      assertThat(alex.id("share-preview-card")).containsText(held);
      assertThat(alex.id("held-actions")).isVisible();
      axe(alex, "composer opened on a held share");
      alex.id("share-confirm").click();
      alex.expectTitle("Your joint space");
      assertThat(sam.shareCard("Last night held-title")).isVisible();
      assertThat(sam.shareCard("Last night held-title")).containsText(held);
      assertThat(sam.shareCard("Last night held-title")).hasCount(1);
      alex.go("#/held");
      assertThat(alex.id("held-none")).isVisible();
      alex.go("#/home");
      assertThat(alex.id("home-exercises")).isVisible();
      assertThat(alex.id("home-held-due")).hasCount(0);
      assertFalse(server.dumpDatabase().contains("heldReminders\":{\""), "the reminder went with the held share");
      alex.assertNoProblems();
      sam.assertNoProblems();
    }
    assertEquals(List.of(), failures);
  }
}
