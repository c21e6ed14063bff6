package dev.bridgework.ui;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two partners in two browser profiles: pairing, sharing from a reflection, live arrival, responses
 * and withdrawal, what never reaches the partner, hostile text, a dropped connection, leaving.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class JointSpaceBrowserTest extends BrowserTestSupport {
  /** Answers a mirror exercise step by step in the runner, waiting for "Saved" after each text. */
  private static String doMirrorExercise(Person p, List<String> texts) {
    p.go("#/exercises");
    p.page.locator("[data-exercise-id='mirror-recent-moment'] [data-testid='exercise-begin']").click();
    String reflectionId = p.id("runner").getAttribute("data-reflection-id");
    int text = 0;
    for (int step = 1; step <= 6; step++) {
      assertThat(p.id("runner-progress")).hasText("Step " + step + " of 6");
      switch (p.id("runner-step").getAttribute("data-step-kind")) {
        case "text" -> p.id("step-text").fill(texts.get(text++));
        case "emotions" -> p.page.locator("[data-testid='emotion-chip'][data-emotion='lonely']").click();
        case "scale" -> p.id("step-scale").fill("6");
        default -> { }
      }
      assertThat(p.id("save-state")).hasText("Saved");
      p.id(step == 6 ? "runner-finish" : "runner-next").click();
    }
    assertThat(p.id("runner-done")).isVisible();
    return reflectionId;
  }

  @Test
  void partnersPairShareRespondAndWithdrawLiveAndUnsharedWordsNeverReachThePartner() throws IOException {
    try (Person alex = Person.desktop(browser, server, "Alex").signUp();
         Person sam = Person.phone(browser, server, "Sam").signUp()) {
      // Pairing: Alex creates the joint space, copies the code, Sam joins with it.
      alex.context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
      String code = alex.createJointSpace();
      assertThat(alex.id("invite-expiry")).isVisible();
      alex.id("invite-copy").click();
      assertThat(alex.id("invite-copied")).hasText("Copied.");
      assertEquals(code, alex.page.evaluate("() => navigator.clipboard.readText()"));
      sam.go("#/couple");
      sam.id("join-code").fill("WRONG-CODE-00");
      sam.id("join-submit").click();
      assertThat(sam.id("couple-join-error")).isVisible();
      sam.join(" " + code.toLowerCase() + " ");
      // Alex's page follows without a reload: the invite gives way to the two members.
      assertThat(alex.id("couple-member")).hasCount(2);
      assertThat(alex.id("invite-code")).hasCount(0);
      assertThat(alex.id("partner-presence")).hasAttribute("data-online", "true");
      assertThat(alex.id("partner-presence")).containsText("Sam is online now");

      // Sam waits in the joint space; a marker proves the page is never reloaded.
      sam.go("#/joint");
      assertThat(sam.id("joint-empty")).isVisible();
      sam.page.evaluate("() => { window.__samsTab = 'same tab'; }");

      // Alex works privately, then shares two answers, rewording one; the rest stays private.
      String happened = "We planned a quiet evening and I ended up alone on the couch.";
      String toldMyselfOriginal = "Nobody would even notice if I just left the room.";
      String toldMyselfReworded = "I told myself that I don't matter to you.";
      String unshared = "As a child I waited at the school gate every single Friday.";
      String shows = "Being chosen matters to me.";
      String reflectionId = doMirrorExercise(alex, List.of(happened, toldMyselfOriginal, unshared, shows));
      assertThat(sam.id("share-card")).hasCount(0);

      alex.id("runner-share").click();
      alex.expectTitle("Share from your reflection");
      Locator picks = alex.id("share-pick");
      assertThat(picks).hasCount(6);
      alex.id("share-preview").click();
      assertThat(alex.id("share-error")).containsText("Choose at least one answer");
      alex.page.locator("[data-testid='share-pick'][data-step-id='what-happened'] [data-testid='share-pick-check']").check();
      Locator told = alex.page.locator("[data-testid='share-pick'][data-step-id='what-you-told-yourself']");
      told.getByTestId("share-pick-check").check();
      assertThat(told.getByTestId("share-pick-text")).hasValue(toldMyselfOriginal);
      told.getByTestId("share-pick-text").fill(toldMyselfReworded);
      alex.id("share-title").fill("A quiet evening");
      alex.id("share-intent-respond").check();
      alex.id("share-note").fill("Could we talk about it on Sunday?");
      alex.id("share-preview").click();
      Locator preview = alex.id("share-preview-card");
      assertThat(preview.getByTestId("share-excerpt")).hasCount(2);
      assertThat(preview).containsText(happened);
      assertThat(preview).containsText(toldMyselfReworded);
      assertThat(preview).not().containsText(toldMyselfOriginal);
      assertThat(preview).not().containsText(unshared);
      assertThat(preview.getByTestId("share-intent")).hasText("I'd like a response");
      // Back to change something keeps what was typed.
      alex.id("share-back").click();
      assertThat(told.getByTestId("share-pick-text")).hasValue(toldMyselfReworded);
      alex.id("share-preview").click();
      alex.id("share-confirm").click();
      alex.expectTitle("Your joint space");

      // It arrives on Sam's open screen, in the same tab.
      Locator evening = sam.shareCard("A quiet evening");
      assertThat(evening).isVisible();
      assertEquals("same tab", sam.page.evaluate("() => window.__samsTab"));
      assertThat(evening.getByTestId("share-author")).hasText("Alex");
      assertThat(evening.getByTestId("share-excerpt")).hasCount(2);
      assertThat(evening.getByTestId("share-excerpt").nth(0)).containsText(happened);
      assertThat(evening.getByTestId("share-excerpt").nth(1)).containsText(toldMyselfReworded);
      assertThat(evening.getByTestId("share-intent")).hasAttribute("data-intent", "respond");
      assertThat(evening.getByTestId("share-note")).containsText("Could we talk about it on Sunday?");
      assertThat(evening).hasAttribute("data-mine", "false");
      assertThat(evening.getByTestId("share-withdraw")).hasCount(0);

      // Sam acknowledges and writes; Alex sees both live.
      evening.getByTestId("ack-hear_you").click();
      assertThat(evening.getByTestId("ack-hear_you")).hasAttribute("aria-pressed", "true");
      Locator alexsEvening = alex.shareCard("A quiet evening");
      assertThat(alexsEvening.locator("[data-testid='response'][data-kind='ack']")).containsText("I hear you");
      assertThat(alexsEvening.getByTestId("ack-hear_you")).hasCount(0);
      // One acknowledgement at a time: choosing another replaces it, choosing it again takes it back.
      Locator alexsAcks = alexsEvening.locator("[data-testid='response'][data-kind='ack']");
      evening.getByTestId("ack-understand_more").click();
      assertThat(evening.getByTestId("ack-hear_you")).hasAttribute("aria-pressed", "false");
      assertThat(evening.getByTestId("ack-understand_more")).hasAttribute("aria-pressed", "true");
      assertThat(alexsAcks).hasCount(1);
      assertThat(alexsAcks).containsText("I'd like to understand more");
      evening.getByTestId("ack-understand_more").click();
      assertThat(evening.getByTestId("ack-understand_more")).hasAttribute("aria-pressed", "false");
      assertThat(alexsAcks).hasCount(0);
      evening.getByTestId("ack-hear_you").click();
      assertThat(alexsAcks).containsText("I hear you");
      evening.getByTestId("reply-open").click();
      evening.getByTestId("comment-text").fill("Sunday works. I'm glad you told me.");
      evening.getByTestId("comment-submit").click();
      assertThat(alexsEvening.locator("[data-testid='response'][data-kind='comment']")).containsText("Sunday works. I'm glad you told me.");

      // Sam shares too; it reaches Alex live, and Sam flags it for counseling.
      server.clock.advance(Duration.ofMinutes(1));
      sam.shareFreeText("Sunday mornings", "I miss our slow Sunday mornings together.", "listen");
      Locator sundays = alex.shareCard("Sunday mornings");
      assertThat(sundays).isVisible();
      assertThat(sundays.getByTestId("share-intent")).hasText("Just listen");
      sam.shareCard("Sunday mornings").getByTestId("flag-toggle").click();
      assertThat(sundays).hasAttribute("data-counseling", "true");
      assertThat(sundays.getByTestId("share-flagged")).isVisible();
      sundays.getByTestId("ack-thank_you").click();
      assertThat(sam.shareCard("Sunday mornings").locator("[data-testid='response'][data-kind='ack']")).containsText("Thank you for telling me");
      assertThat(alex.id("share-card").first()).hasAttribute("data-share-id", sundays.getAttribute("data-share-id"));

      // The joint space with two shares and responses. docs/joint-space.png (in the README) is a
      // copy of this file; the test writes under target/ so a run never changes tracked files.
      alex.page.evaluate("() => document.activeElement && document.activeElement.blur()");
      alex.page.mouse().move(0, 0);
      // The arrival highlight fades after 6 s; the context's default timeout (20 s) leaves room on a busy machine.
      assertThat(alex.page.locator(".is-new")).hasCount(0);
      Path screenshot = Path.of("target", "screenshots", "joint-space.png");
      alex.page.screenshot(new Page.ScreenshotOptions().setPath(screenshot).setFullPage(true));
      assertTrue(Files.size(screenshot) > 10_000, "a real screenshot");

      // Alex edits the share: Sam sees the new words; Alex withdraws it: it leaves Sam's screen.
      alexsEvening.getByTestId("share-edit").click();
      alexsEvening.getByTestId("share-edit-title").fill("A quiet evening, again");
      alexsEvening.getByTestId("share-edit-save").click();
      assertThat(sam.shareCard("A quiet evening, again")).isVisible();
      Locator edited = alex.shareCard("A quiet evening, again");
      edited.getByTestId("share-withdraw").click();
      assertThat(alex.id("confirm-withdraw")).isVisible();
      alex.id("dialog-cancel").click();
      assertThat(sam.shareCard("A quiet evening, again")).isVisible();
      edited.getByTestId("share-withdraw").click();
      alex.id("dialog-confirm").click();
      assertThat(sam.shareCard("A quiet evening, again")).hasCount(0);
      assertThat(alex.shareCard("A quiet evening, again")).hasCount(0);
      assertThat(sam.id("share-card")).hasCount(1);
      assertFalse(sam.page.content().contains(happened), "withdrawn words left Sam's page");
      assertEquals("same tab", sam.page.evaluate("() => window.__samsTab"));

      // Alex's private words never reached Sam: not on the page, not in any answer, not in any frame.
      String samReceived = sam.receivedText();
      assertTrue(samReceived.contains(toldMyselfReworded), "the check sees the frames Sam received");
      assertTrue(samReceived.contains(sam.email), "the check sees the HTTP answers Sam received");
      assertFalse(samReceived.contains(unshared), "Sam never received the unshared answer");
      assertFalse(samReceived.contains(toldMyselfOriginal), "Sam never received the words before rewording");
      assertFalse(samReceived.contains(shows), "Sam never received another unshared answer");
      assertFalse(samReceived.contains(reflectionId + "\",\"answers"), "Sam never received the reflection");

      assertEquals(1, alex.openSockets(), "one WebSocket in Alex's tab");
      assertEquals(1, sam.openSockets(), "one WebSocket in Sam's tab");
      assertFalse(sam.overflowsSideways(), "the joint space fits a phone screen");

      // Leaving asks first, then closes the joint space for both at once.
      sam.go("#/couple");
      sam.id("couple-leave").click();
      assertThat(sam.id("confirm-leave")).containsText("Erased for both of you");
      assertThat(sam.id("leave-own-words")).containsText("Kept words");
      sam.id("dialog-cancel").click();
      assertThat(sam.id("couple-member")).hasCount(2);
      sam.id("couple-leave").click();
      sam.id("dialog-confirm").click();
      assertThat(sam.id("couple-create")).isVisible();
      // After a partner left, a gentle notice instead of "not paired yet" (docs/SAFETY.md "Endings").
      assertThat(alex.id("ending-notice")).containsText("Sam left the joint space on");
      assertThat(alex.id("not-paired")).hasCount(0);
      assertThat(alex.id("share-card")).hasCount(0);

      alex.assertStoresNothing();
      sam.assertStoresNothing();
      alex.assertNoProblems();
      sam.assertNoProblems();
    }
  }

  @Test
  void hostileTextInASharePaintsAsTextAndRunsNothing() {
    Api a = server.register("Kim");
    Api b = server.register("Lee");
    Pairing.pair(a, b);
    try (Person kim = new Person(browser, server, "Kim", Person.DESKTOP_W, Person.DESKTOP_H).signInAs(a);
         Person lee = new Person(browser, server, "Lee", Person.DESKTOP_W, Person.DESKTOP_H).signInAs(b)) {
      lee.go("#/joint");
      String attack = "<img src=x onerror=window.__xss=1>";
      String scriptAttack = "<script>window.__xss=2</script>";
      kim.go("#/share/free");
      kim.id("share-free-text").fill(attack + " and " + scriptAttack);
      kim.id("share-title").fill(attack);
      kim.id("share-note").fill("<b onmouseover=window.__xss=3>bold?</b>");
      kim.id("share-preview").click();
      assertThat(kim.id("share-preview-card").getByTestId("share-title")).hasText(attack);
      kim.id("share-confirm").click();

      Locator card = lee.shareCard(attack);
      assertThat(card).isVisible();
      assertThat(card.getByTestId("share-excerpt")).containsText(attack + " and " + scriptAttack);
      assertThat(card.getByTestId("share-note")).containsText("<b onmouseover=window.__xss=3>bold?</b>");
      card.getByTestId("share-note").hover();
      card.getByTestId("reply-open").click();
      card.getByTestId("comment-text").fill("<svg onload=window.__xss=4>");
      card.getByTestId("comment-submit").click();
      assertThat(kim.shareCard(attack).locator("[data-testid='response'][data-kind='comment']")).containsText("<svg onload=window.__xss=4>");

      // Lee deletes the comment; it leaves Kim's screen.
      card.locator("[data-testid='response'][data-kind='comment']").getByTestId("response-delete").click();
      assertThat(kim.shareCard(attack).getByTestId("response")).hasCount(0);

      for (Person p : List.of(kim, lee)) {
        assertNull(p.page.evaluate("() => window.__xss"), "no injected script ran for " + p.name);
        assertEquals(0, p.page.locator("main img, main script, main svg[onload], main b").count(), "no injected element for " + p.name);
        p.assertNoProblems();
      }
    }
  }

  @Test
  void aPartnerWhoWasOfflineCatchesUpWhenTheConnectionReturns() {
    Api a = server.register("Noa");
    Api b = server.register("Eli");
    Pairing.pair(a, b);
    try (Person noa = new Person(browser, server, "Noa", Person.DESKTOP_W, Person.DESKTOP_H).signInAs(a);
         Person eli = new Person(browser, server, "Eli", Person.DESKTOP_W, Person.DESKTOP_H).signInAs(b)) {
      noa.go("#/joint");
      eli.go("#/joint");
      noa.expectConnection("live");
      assertThat(noa.id("connection-state")).hasText("Live");
      assertThat(noa.id("joint-empty")).isVisible();
      assertEquals(1, noa.sockets.size());

      noa.context.setOffline(true);
      noa.expectConnection("offline");
      assertThat(noa.id("connection-state")).hasText("Offline — changes will sync");
      eli.shareFreeText("While you were away", "I wrote this while you were offline.", "listen");
      eli.shareFreeText("And one more", "A second thing, also while you were offline.", "respond");
      assertThat(noa.id("share-card")).hasCount(0);

      noa.context.setOffline(false);
      noa.expectConnection("live");
      assertThat(noa.shareCard("While you were away")).isVisible();
      assertThat(noa.shareCard("And one more")).isVisible();
      assertThat(noa.id("share-card")).hasCount(2);
      // It came back over a new socket that resumed where the old one stopped.
      assertEquals(2, noa.sockets.size(), "a second socket after the network returned");
      assertTrue(noa.sockets.get(0).ws().isClosed());
      assertFalse(noa.sockets.get(0).text().contains("While you were away"));
      assertTrue(noa.sockets.get(1).text().contains("While you were away"), "the missed share was replayed on resume");
      assertEquals(1, noa.openSockets());

      // Live again: the next share arrives at once.
      eli.shareFreeText("Back to normal", "This one arrives live.", "listen");
      assertThat(noa.shareCard("Back to normal")).isVisible();
      noa.assertNoProblems();
      eli.assertNoProblems();
    }
  }
}
