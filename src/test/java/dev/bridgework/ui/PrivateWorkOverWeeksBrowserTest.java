package dev.bridgework.ui;

import com.microsoft.playwright.Locator;
import dev.bridgework.testing.Api;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #14, "Private work that builds up over weeks": a parts exercise fills a part only after the
 * person confirms a preview, the map draws parts by role with their relations, a revisit shows what
 * was written last time; follow-ups and offers to oneself, due on Home; the runner's history,
 * double clicks, reloads and over-long text; check-ins refused when empty, edited and deleted, one
 * readable point per day; reflections with a title of one's own, grouped by month and searched in
 * the browser. Every new screen is checked with axe-core at 1280 and 375 px.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class PrivateWorkOverWeeksBrowserTest extends BrowserTestSupport {
  private final List<String> axeFailures = new ArrayList<>();

  /** axe-core at desktop and phone width, as AccessibilityBrowserTest does: no serious or critical violation. */
  private void axe(Person p, String screen) {
    for (int[] size : new int[][] {{Person.DESKTOP_W, Person.DESKTOP_H}, {Person.PHONE_W, Person.PHONE_H}}) {
      p.page.setViewportSize(size[0], size[1]);
      String where = screen + " at " + size[0] + "px";
      p.axeProblems().forEach(v -> axeFailures.add(where + ": " + v));
      if (size[0] == Person.PHONE_W && p.overflowsSideways()) axeFailures.add(where + ": wider than the screen");
    }
    p.page.setViewportSize(Person.DESKTOP_W, Person.DESKTOP_H);
  }

  private static int count(Api api, String path, String key) {
    var r = api.get(path);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray(key).size();
  }

  private static void begin(Person p, String exerciseId) {
    p.go("#/exercises");
    p.page.locator("[data-exercise-id='" + exerciseId + "'] [data-testid='exercise-begin']").click();
    assertThat(p.id("runner-progress")).containsText("Step 1 of");
  }

  private static void next(Person p, String progress) {
    p.id("runner-next").click();
    assertThat(p.id("runner-progress")).hasText(progress);
  }

  private static void write(Person p, String text) {
    p.id("step-text").fill(text);
    assertThat(p.id("save-state")).hasText("Saved");
  }

  @Test
  void aPartsExerciseFillsAPartAfterItsPreviewAndTheMapDrawsItByRoleWithItsRelations() {
    Api api = server.register("Robin");
    String critic = UUID.randomUUID().toString();
    assertEquals(201, api.savePart(critic, new JsonObject().put("name", "The Critic").put("role", "manager")
        .put("belief", "I must get it right."), null).statusCode());
    try (Person robin = Person.desktop(browser, server, "Robin")) {
      robin.signInAs(api);
      begin(robin, "parts-meet-the-loudest");
      write(robin, "When I was left waiting at the station.");
      next(robin, "Step 2 of 8");
      // Naming a new part writes nothing to the map yet.
      robin.id("step-part-new-name").fill("The Worrier");
      assertThat(robin.id("save-state")).hasText("Saved");
      next(robin, "Step 3 of 8");
      write(robin, "I am too much.");
      next(robin, "Step 4 of 8");
      write(robin, "A knot in my stomach.");
      next(robin, "Step 5 of 8");
      robin.page.locator("[data-testid='emotion-chip'][data-emotion='curious']").click();
      assertThat(robin.id("save-state")).hasText("Saved");
      next(robin, "Step 6 of 8");
      write(robin, "That I will be left behind.");
      next(robin, "Step 7 of 8");
      write(robin, "To be told it can rest.");
      next(robin, "Step 8 of 8");
      write(robin, "I see how hard you work.");
      robin.id("runner-finish").click();
      assertThat(robin.id("part-preview")).isVisible();
      assertThat(robin.id("part-preview-name")).hasText("The Worrier");
      assertThat(robin.id("part-preview-card")).containsText("I am too much.");
      assertThat(robin.id("part-preview-card")).containsText("That I will be left behind.");
      assertThat(robin.id("part-preview-card")).containsText("curious");
      assertEquals(1, count(api, "/api/parts", "parts"), "nothing is written before the person confirms");
      axe(robin, "finish screen with a part preview");
      robin.id("part-preview-confirm").click();
      assertThat(robin.id("part-preview-done")).containsText("Added “The Worrier” to your parts map");
      assertEquals(2, count(api, "/api/parts", "parts"));

      // The map: grouped by role, relations drawn, every node reachable by keyboard.
      String worrierId = robin.id("part-preview-open").getAttribute("href").replaceFirst("^#/parts/", "");
      robin.id("part-preview-open").click();
      robin.expectTitle("Your parts map");
      assertThat(robin.id("map-node")).hasCount(2);
      Locator worrier = robin.page.locator("[data-testid='part-card'][data-part-id='" + worrierId + "']");
      assertThat(worrier).containsText("To be told it can rest.");
      assertThat(worrier.getByTestId("part-visits")).containsText("1 visit");
      worrier.getByTestId("part-edit").click();
      robin.id("part-role-select").selectOption("firefighter");
      robin.id("part-feltAge").fill("about seven");
      robin.id("part-hopes").fill("That I am never left alone.");
      robin.id("relation-add").click();
      robin.id("relation-kind").selectOption("polarized");
      robin.id("relation-to").selectOption(critic);
      axe(robin, "parts map, editing with a relation");
      robin.id("part-save").click();
      assertThat(robin.id("map-relation")).hasCount(1);
      assertThat(robin.id("map-relation")).hasAttribute("data-kind", "polarized");
      assertThat(robin.page.locator("[data-testid='role-group'][data-role='firefighter']")).containsText("The Worrier");
      assertThat(robin.page.locator("[data-testid='role-group'][data-role='manager']")).containsText("The Critic");
      assertThat(worrier.getByTestId("part-relations")).hasText("Polarized with The Critic");
      assertThat(robin.page.locator("[data-testid='part-card'][data-part-id='" + critic + "']").getByTestId("part-relations"))
          .hasText("Polarized with The Worrier");
      assertThat(worrier.getByTestId("part-felt-age")).hasText("Felt age: about seven");
      assertThat(worrier.getByTestId("part-visits")).containsText("1 visit"); // editing keeps the visits
      Locator node = robin.page.locator("[data-testid='map-node'][data-part-id='" + worrierId + "']");
      assertThat(node).hasAttribute("aria-label", java.util.regex.Pattern.compile("The Worrier, Firefighter\\. Polarized with The Critic\\."));
      node.focus();
      robin.page.keyboard().press("Enter");
      assertThat(worrier.locator("[data-part-heading]")).isFocused();
      axe(robin, "parts map");

      // A later visit shows what was written last time, and records a second dated visit.
      begin(robin, "parts-visit-again");
      write(robin, "The station again, this morning.");
      next(robin, "Step 2 of 8");
      robin.id("step-part").selectOption(worrierId);
      assertThat(robin.id("part-last-time")).containsText("I am too much.");
      assertThat(robin.id("part-last-time")).containsText("I see how hard you work.");
      axe(robin, "runner, visiting a part");
      next(robin, "Step 3 of 8");
      assertThat(robin.id("step-last-time")).containsText("I am too much.");
      write(robin, "A little less too much.");
      robin.id("runner-next").click();
      robin.id("runner-next").click();
      robin.id("runner-next").click();
      robin.id("runner-next").click();
      next(robin, "Step 8 of 8");
      write(robin, "It softened when I listened.");
      robin.id("runner-finish").click();
      assertThat(robin.id("part-preview")).containsText("this visit with “The Worrier”");
      robin.id("part-preview-confirm").click();
      assertThat(robin.id("part-preview-done")).containsText("Added this visit to “The Worrier”");
      assertEquals(2, count(api, "/api/parts", "parts"), "a visit is not a new part");
      robin.go("#/parts");
      assertThat(worrier.getByTestId("part-visits")).containsText("2 visits");
      assertThat(worrier).containsText("A little less too much.");
      assertFalse(server.dumpDatabase().contains("The Worrier"), "the part, its visits and relations are sealed");
      robin.assertNoProblems();
    }
    assertEquals(List.of(), axeFailures);
  }

  @Test
  void theRunnerKeepsItsPlaceThroughDoubleClicksReloadsAndBackAndRefusesOverLongText() {
    Api api = server.register("Kai");
    try (Person kai = Person.desktop(browser, server, "Kai")) {
      kai.signInAs(api);
      begin(kai, "free-blank-page");
      write(kai, "The first page.");
      kai.id("runner-next").dblclick();
      assertThat(kai.id("runner-progress")).hasText("Step 2 of 4");
      next(kai, "Step 3 of 4");
      write(kai, "Underneath, I am tired.");
      kai.page.reload();
      assertThat(kai.id("runner-progress")).hasText("Step 3 of 4");
      assertThat(kai.id("step-text")).hasValue("Underneath, I am tired.");
      kai.page.goBack();
      assertThat(kai.id("runner-progress")).hasText("Step 2 of 4");
      kai.page.goBack();
      assertThat(kai.id("runner-progress")).hasText("Step 1 of 4");
      assertThat(kai.id("step-text")).hasValue("The first page.");
      kai.page.goBack();
      kai.expectTitle("Exercises");
      kai.page.goForward();
      assertThat(kai.id("runner-progress")).hasText("Step 1 of 4");
      kai.page.goForward();
      assertThat(kai.id("runner-progress")).hasText("Step 2 of 4");
      kai.id("runner-back").click();
      assertThat(kai.id("runner-progress")).hasText("Step 1 of 4");

      // Near the limit a counter shows; text that would not fit is refused whole, with a message.
      String nearly = "a".repeat(19_990);
      kai.id("step-text").fill(nearly);
      assertThat(kai.id("runner-step").getByTestId("char-count")).hasText("19,990 of 20,000 characters");
      kai.page.keyboard().press("End");
      kai.page.keyboard().insertText("b".repeat(50));
      assertThat(kai.id("runner-step").getByTestId("text-too-long")).containsText("20,040 characters");
      assertThat(kai.id("runner-step").getByTestId("text-too-long")).containsText("Nothing was added");
      assertEquals(19_990, ((Number) kai.page.evaluate("() => document.querySelector(\"[data-testid='step-text']\").value.length")).intValue());
      // A paste is refused the same way, before the browser could cut it.
      kai.page.evaluate("() => { const t = document.querySelector(\"[data-testid='step-text']\"); const d = new DataTransfer();"
          + " d.setData('text/plain', 'c'.repeat(500)); t.dispatchEvent(new ClipboardEvent('paste', { clipboardData: d, bubbles: true, cancelable: true })); }");
      assertThat(kai.id("runner-step").getByTestId("text-too-long")).containsText("20,490 characters");
      assertEquals(19_990, ((Number) kai.page.evaluate("() => document.querySelector(\"[data-testid='step-text']\").value.length")).intValue());
      axe(kai, "runner with a counter and a refused paste");
      write(kai, "Short again.");
      assertThat(kai.id("runner-step").getByTestId("text-too-long")).isHidden();
      assertThat(kai.id("runner-step").getByTestId("char-count")).isHidden();

      // The title is the person's own; the finish screen pauses before any choice, sharing among equals.
      kai.id("runner-title").fill("A tired Sunday");
      assertThat(kai.id("save-state")).hasText("Saved");
      next(kai, "Step 2 of 4");
      next(kai, "Step 3 of 4");
      next(kai, "Step 4 of 4");
      kai.id("runner-finish").dblclick();
      assertThat(kai.id("runner-pause")).isVisible();
      assertThat(kai.id("runner-share")).isVisible();
      assertFalse(kai.id("runner-share").getAttribute("class").contains("btn-primary"), "sharing is not the main button");
      assertThat(kai.id("runner-choices").locator(".btn-primary")).hasCount(0);
      axe(kai, "finish screen");
      kai.page.goBack();
      assertThat(kai.id("runner-progress")).hasText("Step 4 of 4");
      kai.page.goForward();
      assertThat(kai.id("runner-pause")).isVisible();
      kai.assertNoProblems();
    }
    assertEquals(List.of(), axeFailures);
  }

  @Test
  void followUpsAndOffersToOneselfWaitOnHomeWhenDue() {
    Api api = server.register("Noor");
    // Something asked for a week ago: due now. Sealed by the same account's key, as the browser would.
    String reflectionId = UUID.randomUUID().toString();
    assertEquals(201, api.saveReflection(reflectionId, "data-to-be-heard", new JsonObject()
        .put("when-unheard", "At dinner on Friday."), "complete", null).statusCode());
    String dueId = UUID.randomUUID().toString();
    JsonObject due = new JsonObject().put("type", "revisit").put("text", "Looking back: what was it like to listen to yourself this way?")
        .put("dueAt", Instant.now().minus(Duration.ofDays(1)).toString()).put("done", false)
        .put("reflectionId", reflectionId).put("exerciseId", "data-to-be-heard").put("stepId", "how-it-went");
    assertEquals(201, api.put("/api/followups/" + dueId, new JsonObject().put("sealed", api.keys().seal("followup", dueId, due))).statusCode());
    try (Person noor = Person.desktop(browser, server, "Noor")) {
      noor.signInAs(api);
      assertThat(noor.id("home-due")).hasCount(1);
      assertThat(noor.id("home-due")).containsText("Come back to: Looking back");
      assertThat(noor.id("home-revisit")).not().containsText("streak");
      axe(noor, "home with something to revisit");
      noor.id("home-due-link").click();
      assertThat(noor.id("runner-step")).hasAttribute("data-step-id", "how-it-went");

      // An exercise with an offer: finishing it makes an offer and a reminder, neither due yet.
      begin(noor, "data-to-be-valued");
      write(noor, "Last week, when nobody noticed the dinner.");
      next(noor, "Step 2 of 6");
      next(noor, "Step 3 of 6");
      next(noor, "Step 4 of 6");
      next(noor, "Step 5 of 6");
      write(noor, "A slow walk on Thursday, phone at home.");
      next(noor, "Step 6 of 6");
      noor.id("runner-finish").click();
      assertThat(noor.id("runner-followup")).hasCount(2);
      assertThat(noor.page.locator("[data-testid='runner-followup'][data-type='offer']")).containsText("A slow walk on Thursday");
      assertEquals(3, count(api, "/api/followups", "followups"));
      // Finishing again makes nothing twice.
      noor.id("runner-reopen").click();
      assertThat(noor.id("runner-progress")).hasText("Step 1 of 6");
      noor.go("#/home");
      assertThat(noor.id("home-due")).hasCount(1);

      noor.id("home-offers").click();
      noor.expectTitle("Offers to yourself");
      Locator offer = noor.id("offer-item").filter(new Locator.FilterOptions().setHasText("A slow walk on Thursday"));
      assertThat(offer).hasAttribute("data-done", "false");
      axe(noor, "offers to yourself");
      offer.getByTestId("offer-done").click();
      assertThat(offer).hasAttribute("data-done", "true");
      noor.id("offer-add").click();
      assertThat(noor.id("offer-error")).hasText("Please write what you will offer yourself.");
      noor.id("offer-text").fill("Ten quiet minutes with tea.");
      noor.id("offer-add").click();
      assertThat(noor.id("offer-item").filter(new Locator.FilterOptions().setHasText("Ten quiet minutes with tea."))).hasCount(1);
      assertEquals(4, count(api, "/api/followups", "followups"));
      assertFalse(server.dumpDatabase().contains("A slow walk"), "offers are sealed");
      noor.assertNoProblems();
    }
    assertEquals(List.of(), axeFailures);
  }

  @Test
  void checkInsAreNeverEmptyCanBeEditedAndDeletedAndABusyDayStaysOnePoint() {
    Api api = server.register("Ari");
    try (Person ari = Person.desktop(browser, server, "Ari")) {
      ari.signInAs(api);
      ari.go("#/checkins");
      ari.id("checkin-submit").click();
      assertThat(ari.id("checkin-error")).hasText("Please name at least one feeling, or write a few words, before you save this check-in.");
      assertThat(ari.id("checkins-empty")).isVisible();
      assertEquals(0, count(api, "/api/checkins", "checkins"));

      String[][] three = {{"tender", "3", "Morning, slow."}, {"anxious", "8", "Before the call."}, {"calm", "4", "Evening."}};
      for (String[] c : three) {
        ari.page.locator("[data-testid='checkin-emotions'] [data-emotion='" + c[0] + "']").click();
        ari.id("checkin-intensity").fill(c[1]);
        ari.id("checkin-note").fill(c[2]);
        ari.id("checkin-submit").click();
        assertThat(ari.id("checkin-note")).hasValue("");
      }
      assertThat(ari.id("checkin-item")).hasCount(3);
      assertThat(ari.id("chart-point")).hasCount(1);
      assertThat(ari.id("chart-point")).hasAttribute("data-count", "3");
      assertThat(ari.id("chart-range")).hasCount(1);

      Locator call = ari.id("checkin-item").filter(new Locator.FilterOptions().setHasText("Before the call."));
      call.getByTestId("checkin-edit").click();
      assertThat(ari.id("checkin-note")).hasValue("Before the call.");
      assertThat(ari.id("checkin-intensity-value")).hasText("8");
      ari.id("checkin-note").fill("Before the call, and it went fine.");
      axe(ari, "check-ins, editing one");
      ari.id("checkin-submit").click();
      assertThat(ari.id("checkin-item").filter(new Locator.FilterOptions().setHasText("it went fine"))).hasCount(1);
      assertThat(ari.id("checkin-item")).hasCount(3);

      ari.id("checkin-item").filter(new Locator.FilterOptions().setHasText("Morning, slow.")).getByTestId("checkin-delete").click();
      assertThat(ari.id("confirm-delete-checkin")).isVisible();
      ari.id("dialog-confirm").click();
      assertThat(ari.id("checkin-item")).hasCount(2);
      assertEquals(2, count(api, "/api/checkins", "checkins"));
      axe(ari, "check-ins");

      // The "Quick check-in" exercise logs a real check-in; the catalog has one card of that name.
      ari.go("#/exercises");
      assertThat(ari.page.locator("[data-practice='checkin'] h3").getByText("Quick check-in", new Locator.GetByTextOptions().setExact(true))).hasCount(1);
      begin(ari, "checkin-how-are-you");
      ari.page.locator("[data-testid='emotion-chip'][data-emotion='relieved']").click();
      assertThat(ari.id("save-state")).hasText("Saved");
      next(ari, "Step 2 of 4");
      ari.id("step-scale").fill("2");
      assertThat(ari.id("save-state")).hasText("Saved");
      next(ari, "Step 3 of 4");
      next(ari, "Step 4 of 4");
      ari.id("runner-finish").click();
      assertThat(ari.id("runner-checkin-logged")).isVisible();
      ari.go("#/checkins");
      assertThat(ari.id("checkin-item")).hasCount(3);
      assertThat(ari.id("checkin-item").first()).containsText("relieved");
      ari.assertNoProblems();
    }
    assertEquals(List.of(), axeFailures);
  }

  @Test
  void reflectionsHaveTitlesOfTheirOwnAreGroupedByMonthAndSearchedInTheBrowser() {
    Api api = server.register("Mika");
    assertEquals(201, api.saveReflection(UUID.randomUUID().toString(), "free-blank-page", new JsonObject()
        .put("on-your-mind", "The couch, the quiet, the long evening."), "complete", null).statusCode());
    server.clock.advance(Duration.ofDays(40));
    Api later = api.anotherDevice();
    assertEquals(201, later.saveReflection(UUID.randomUUID().toString(), "free-blank-page", new JsonObject()
        .put("on-your-mind", "A walk by the river."), "draft", null).statusCode());
    // The test clock stands still: the reflection written in the browser must be the newest, not tie.
    server.clock.advance(Duration.ofSeconds(1));
    try (Person mika = Person.desktop(browser, server, "Mika")) {
      mika.signInAs(later);
      begin(mika, "mirror-recent-moment");
      mika.id("runner-title").fill("The station");
      write(mika, "Waiting at the station for a call that did not come.");
      mika.id("runner-leave").click();
      mika.expectTitle("Your reflections");
      assertThat(mika.id("month-group")).hasCount(2);
      assertThat(mika.id("month-group").first().getByTestId("reflection-item")).hasCount(2);
      assertThat(mika.id("reflection-open").first()).hasText("The station");
      assertThat(mika.id("reflection-item").first().getByTestId("reflection-exercise")).hasText("A recent moment of distance");
      mika.id("reflections-search").fill("COUCH");
      assertThat(mika.id("reflections-search-count")).hasText("1 found");
      assertThat(mika.id("reflection-item")).hasCount(1);
      assertThat(mika.id("reflection-item")).containsText("The couch, the quiet");
      axe(mika, "reflections, searched");
      mika.id("reflections-search").fill("station");
      assertThat(mika.id("reflection-item")).hasCount(1);
      assertThat(mika.id("reflection-open")).hasText("The station");
      mika.id("reflections-search").fill("nothing like this");
      assertThat(mika.id("reflections-empty")).containsText("Nothing you wrote matches");
      mika.id("reflections-search").fill("");
      assertThat(mika.id("reflection-item")).hasCount(3);
      axe(mika, "reflections by month");
      assertFalse(mika.sentText().contains("couch"), "the search never went to the server");
      assertFalse(server.dumpDatabase().contains("The station"), "the title is sealed");
      mika.assertNoProblems();
    }
    assertEquals(List.of(), axeFailures);
  }
}
