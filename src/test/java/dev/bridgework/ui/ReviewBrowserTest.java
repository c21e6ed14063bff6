package dev.bridgework.ui;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The joint review in two browsers, from flagging items to a downloaded brief in every format. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ReviewBrowserTest extends BrowserTestSupport {
  private static void share(Api api, String title, String text, String intent) {
    server.clock.advance(Duration.ofMinutes(1));
    var r = api.put("/api/shares/" + UUID.randomUUID(), new JsonObject().put("title", title)
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", text))).put("intent", intent));
    assertEquals(201, r.statusCode(), r.bodyAsString());
  }

  private static Locator agendaItem(Person p, int index) {
    return p.id("review-agenda-item").nth(index);
  }

  private static void assertAgenda(Person p, String... titles) {
    assertThat(p.id("review-agenda-item")).hasCount(titles.length);
    for (int i = 0; i < titles.length; i++) {
      assertThat(agendaItem(p, i).locator("h3")).hasText((i + 1) + ". " + titles[i]);
    }
  }

  @Test
  void bothPartnersPrepareAReviewLiveAndDownloadTheBriefInEveryFormat() throws IOException {
    Api a = server.register("Alex");
    Api b = server.register("Sam");
    Pairing.pair(a, b);
    String privateWords = "Private and never shared: I rehearse arguments in the shower.";
    var reflection = a.saveReflection(UUID.randomUUID().toString(), "free-blank-page",
        new JsonObject().put("on-your-mind", privateWords), "complete", null);
    assertEquals(201, reflection.statusCode(), reflection.bodyAsString());
    share(a, "When plans change", "When plans change at the last minute I feel forgotten.", "discuss");
    share(b, "Mornings feel rushed", "Our mornings feel rushed and I miss talking.", "respond");
    share(a, "Money worries", "I lie awake worrying about money.", "listen");

    try (Person alex = Person.desktop(browser, server, "Alex").signInAs(a);
         Person sam = Person.desktop(browser, server, "Sam").signInAs(b)) {
      // Each flags the other's item for counseling; the flag shows on the other screen at once.
      alex.go("#/joint");
      sam.go("#/joint");
      alex.shareCard("Mornings feel rushed").getByTestId("flag-toggle").click();
      assertThat(sam.shareCard("Mornings feel rushed")).hasAttribute("data-counseling", "true");
      sam.shareCard("When plans change").getByTestId("flag-toggle").click();
      assertThat(alex.shareCard("When plans change")).hasAttribute("data-counseling", "true");
      assertThat(alex.shareCard("When plans change").getByTestId("flag-toggle")).hasAttribute("aria-pressed", "true");

      alex.go("#/review");
      sam.go("#/review");
      assertThat(sam.id("review-none")).containsText("2 shared items are flagged");
      alex.id("review-start").click();
      // Sam's screen turns into the open review without a reload, agenda seeded oldest first.
      assertThat(sam.id("review-open")).isVisible();
      assertAgenda(sam, "When plans change", "Mornings feel rushed");
      assertAgenda(alex, "When plans change", "Mornings feel rushed");
      assertThat(sam.id("review-open")).containsText("Started by Alex");

      // Sam looks at the second item; Alex sees where Sam is.
      agendaItem(sam, 1).getByTestId("review-note").click();
      assertThat(agendaItem(alex, 1).getByTestId("partner-focus")).hasText("Sam is looking at this");
      assertThat(agendaItem(alex, 0).getByTestId("partner-focus")).isHidden();

      // Notes autosave and appear on the other screen as the partner's note.
      agendaItem(alex, 0).getByTestId("review-note").fill("I'd like us to plan one evening a week.");
      assertThat(agendaItem(alex, 0).getByTestId("review-note-state")).hasText("Saved");
      assertThat(agendaItem(sam, 0).getByTestId("review-partner-note")).containsText("I'd like us to plan one evening a week.");
      assertThat(agendaItem(sam, 0).getByTestId("review-partner-note")).containsText("Alex’s note");
      agendaItem(sam, 1).getByTestId("review-note").fill("Could we get up fifteen minutes earlier?");
      assertThat(agendaItem(sam, 1).getByTestId("review-note-state")).hasText("Saved");
      assertThat(agendaItem(alex, 1).getByTestId("review-partner-note")).containsText("Could we get up fifteen minutes earlier?");

      // Alex adds the unflagged item and moves it up; Sam's agenda follows.
      alex.page.locator("[data-testid='review-add-item']").filter(new Locator.FilterOptions().setHasText("Money worries"))
          .getByTestId("review-add").click();
      assertAgenda(sam, "When plans change", "Mornings feel rushed", "Money worries");
      agendaItem(alex, 2).getByTestId("review-move-up").click();
      assertAgenda(alex, "When plans change", "Money worries", "Mornings feel rushed");
      assertAgenda(sam, "When plans change", "Money worries", "Mornings feel rushed");
      // Sam's typed note moved with its item.
      assertThat(agendaItem(sam, 2).getByTestId("review-note")).hasValue("Could we get up fifteen minutes earlier?");

      // Ready, one after the other, seen by both.
      alex.id("review-ready-toggle").click();
      assertThat(alex.id("review-ready-toggle")).hasAttribute("aria-pressed", "true");
      assertThat(sam.id("review-ready-partner")).hasAttribute("data-ready", "true");
      assertThat(sam.id("review-ready-self")).hasAttribute("data-ready", "false");
      sam.id("review-ready-toggle").click();
      assertThat(alex.id("review-ready-partner")).hasAttribute("data-ready", "true");
      assertThat(alex.id("review-open")).containsText("You are both ready");

      // The brief, in each format: the agenda in order, intents, responses, both notes; nothing private.
      Download md = alex.download(alex.id("brief-md"));
      assertTrue(md.suggestedFilename().endsWith(".md"), md.suggestedFilename());
      String markdown = Person.text(md);
      assertInOrder(markdown, "When plans change", "Money worries", "Mornings feel rushed");
      assertTrue(markdown.contains("I'd like us to plan one evening a week."), markdown);
      assertTrue(markdown.contains("Could we get up fifteen minutes earlier?"), markdown);
      assertTrue(markdown.contains("Let's take this to counseling"), markdown);
      assertFalse(markdown.contains(privateWords), "the brief holds nothing private");

      // The printable page opens in its own tab, under its own CSP, ready to print.
      Page printable = alex.page.waitForPopup(() -> alex.id("brief-html").click());
      printable.waitForLoadState();
      assertThat(printable.locator("body")).containsText("Could we get up fifteen minutes earlier?");
      String page = printable.content();
      assertInOrder(page, "When plans change", "Money worries", "Mornings feel rushed");
      assertTrue(page.contains("plan one evening a week."), "the page holds Alex's note");
      assertFalse(page.contains(privateWords), "the page holds nothing private");
      assertFalse(page.toLowerCase().contains("<script"), "the printable page runs no script");
      printable.close();

      Download pdf = alex.download(alex.id("brief-pdf"));
      assertTrue(pdf.suggestedFilename().endsWith(".pdf"), pdf.suggestedFilename());
      byte[] pdfBytes = Files.readAllBytes(pdf.path());
      assertEquals("%PDF-", new String(pdfBytes, 0, 5, StandardCharsets.US_ASCII));
      assertTrue(pdfBytes.length > 1000, "a real document");

      // Sam withdraws an item while the review is open: it leaves Alex's agenda at once, notes and all.
      sam.go("#/joint");
      sam.shareCard("Mornings feel rushed").getByTestId("share-withdraw").click();
      sam.id("dialog-confirm").click();
      assertAgenda(alex, "When plans change", "Money worries");
      assertThat(alex.page.getByText("Could we get up fifteen minutes earlier?")).hasCount(0);
      sam.go("#/review");
      assertAgenda(sam, "When plans change", "Money worries");

      // Closing asks first; then both see it among past reviews, brief still downloadable.
      alex.id("review-close").click();
      assertThat(alex.id("confirm-close-review")).isVisible();
      alex.id("dialog-confirm").click();
      assertThat(alex.id("review-none")).isVisible();
      assertThat(sam.id("review-none")).isVisible();
      assertThat(sam.id("past-review")).hasCount(1);
      assertThat(sam.id("past-review")).containsText("2 items");
      String pastMarkdown = Person.text(sam.download(sam.id("past-brief-md")));
      assertInOrder(pastMarkdown, "When plans change", "Money worries");
      assertTrue(pastMarkdown.contains("I'd like us to plan one evening a week."));
      assertFalse(pastMarkdown.contains("Mornings feel rushed"), "a withdrawn share leaves the brief");

      assertFalse(sam.receivedText().contains(privateWords), "Sam never received Alex's private words");
      for (Person p : List.of(alex, sam)) {
        p.assertStoresNothing();
        p.assertNoProblems();
      }
    }
  }

  private static void assertInOrder(String text, String... parts) {
    int at = -1;
    for (String part : parts) {
      int next = text.indexOf(part, at + 1);
      assertTrue(next > at, "'" + part + "' follows in order in:\n" + text);
      at = next;
    }
  }

  @Test
  void aReviewStartedWhileThePageIsLoadingStillShows() {
    Api a = server.register("Ari");
    Api b = server.register("Bo");
    Pairing.pair(a, b);
    try (Person ari = new Person(browser, server, "Ari", Person.DESKTOP_W, Person.DESKTOP_H).signInAs(a)) {
      // Ari's page asks for the open review before Bo starts one; the answer (none yet) is held
      // until the live review.started has arrived, and must not undo it.
      AtomicBoolean started = HeldAnswer.eventSeen(ari.page, "review.started");
      HeldAnswer current = HeldAnswer.holdFirst(ari.page, url -> url.endsWith("/api/reviews/current"));
      ari.page.navigate("about:blank");
      ari.page.navigate("/#/review"); // a fresh load: the socket opened now is the one watched
      ari.expectConnection("live");
      assertEquals(404, current.awaitAsked().status(), "the answer is from before the review started");

      var r = b.post("/api/reviews", new JsonObject());
      assertEquals(201, r.statusCode(), r.bodyAsString());
      ari.page.waitForCondition(started::get);

      current.release();
      assertThat(ari.id("review-open")).hasAttribute("data-review-id", r.bodyAsJsonObject().getString("id"));
      assertThat(ari.id("review-start")).hasCount(0);
      ari.assertNoProblems();
    }
  }
}
