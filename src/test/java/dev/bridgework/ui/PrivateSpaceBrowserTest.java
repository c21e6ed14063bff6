package dev.bridgework.ui;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.bridgework.testing.TestServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The private space in real Chromium, one person at a time: signing up, in and out, the catalog,
 * the runner's autosave, drafts, the parts map, check-ins, two devices editing one draft, export
 * and account deletion.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class PrivateSpaceBrowserTest extends BrowserTestSupport {
  @Test
  void onePersonWorksThroughTheWholePrivateSpaceAndLeavesNothingInTheBrowser() {
    try (Person alex = Person.desktop(browser, server, "Alex")) {
      // Sign up: the form explains what is missing before it asks the server.
      alex.page.navigate("/#/signup");
      alex.id("signup-submit").click();
      assertThat(alex.id("auth-error")).hasText("Please tell us what to call you.");
      assertThat(alex.id("signup-name")).hasAttribute("aria-invalid", "true");
      alex.signUp();
      assertThat(alex.id("privacy-note")).containsText("Only you can see this");
      alex.expectConnection("live");

      // Sign out and back in; a wrong password gets the contract's message and no session.
      alex.go("#/account");
      assertThat(alex.id("account-name")).hasText("Alex");
      assertThat(alex.id("account-email")).hasText(alex.email);
      alex.id("sign-out").click();
      alex.expectTitle("Welcome back");
      assertThat(alex.id("auth-notice")).containsText("You have signed out");
      assertThat(alex.id("nav")).isHidden();
      alex.id("signin-email").fill(alex.email);
      alex.id("signin-password").fill("not the password at all");
      alex.id("signin-submit").click();
      assertThat(alex.id("auth-error")).isVisible();
      assertThat(alex.id("page-title")).hasText("Welcome back");
      alex.signIn();

      // The catalog is grouped by practice.
      alex.id("home-exercises").click();
      alex.expectTitle("Exercises");
      for (String practice : new String[] {"mirror", "parts", "data", "trust", "free", "checkin"}) {
        assertThat(alex.page.locator("[data-testid='practice'][data-practice='" + practice + "']")).isVisible();
      }
      alex.page.locator("[data-exercise-id='mirror-recent-moment'] [data-testid='exercise-begin']").click();

      // The runner saves as you type and says so.
      assertThat(alex.id("runner-progress")).hasText("Step 1 of 6");
      String happened = "We planned a quiet evening and I ended up alone on the couch.";
      alex.id("step-text").fill(happened);
      assertThat(alex.id("save-state")).hasAttribute("data-state", "saved");
      assertThat(alex.id("save-state")).hasText("Saved");
      String reflectionId = alex.id("runner").getAttribute("data-reflection-id");
      // Saved for real: a reload brings the words back from the server, on the step it was on (issue #14).
      alex.page.reload();
      assertThat(alex.id("runner-progress")).hasText("Step 1 of 6");
      assertThat(alex.id("step-text")).hasValue(happened);
      alex.id("runner-next").click();

      assertThat(alex.id("runner-step")).hasAttribute("data-step-kind", "emotions");
      alex.page.locator("[data-testid='emotion-chip'][data-emotion='lonely']").click();
      assertThat(alex.page.locator("[data-emotion='lonely']")).hasAttribute("aria-pressed", "true");
      alex.id("step-emotions-other").fill("Invisible");
      alex.id("step-emotions-add").click();
      assertThat(alex.page.locator("[data-emotion='invisible']")).hasAttribute("aria-pressed", "true");
      assertThat(alex.id("save-state")).hasText("Saved");
      alex.id("runner-next").click();

      assertThat(alex.id("runner-step")).hasAttribute("data-step-kind", "scale");
      alex.id("step-scale").fill("7");
      assertThat(alex.id("step-scale-value")).hasText("7");
      assertThat(alex.id("save-state")).hasText("Saved");
      alex.id("runner-next").click();
      alex.id("step-text").fill("I told myself that I do not matter.");
      assertThat(alex.id("save-state")).hasText("Saved");

      // Leave halfway: it is a draft, listed in reflections and on Home.
      alex.id("runner-leave").click();
      alex.expectTitle("Your reflections");
      Locator item = alex.page.locator("[data-testid='reflection-item'][data-reflection-id='" + reflectionId + "']");
      assertThat(item).hasAttribute("data-status", "draft");
      assertThat(item).containsText(happened);
      alex.go("#/home");
      assertThat(alex.id("home-draft")).hasText("A recent moment of distance");
      alex.id("home-draft").click();
      // Picks up at the first open step.
      assertThat(alex.id("runner-progress")).hasText("Step 5 of 6");
      alex.id("runner-back").click();
      assertThat(alex.id("step-text")).hasValue("I told myself that I do not matter.");
      alex.id("runner-next").click();
      alex.id("step-text").fill("At school, waiting to be picked up last.");
      alex.id("runner-next").click();
      alex.id("step-text").fill("Being chosen matters to me.");
      alex.id("runner-finish").click();
      assertThat(alex.id("runner-done")).isVisible();
      assertThat(alex.id("runner-share")).isVisible();

      alex.id("runner-to-reflections").click();
      assertThat(item).hasAttribute("data-status", "complete");
      alex.id("reflections-filter-status").selectOption("draft");
      assertThat(alex.id("reflections-empty")).hasText("Nothing matches these filters.");
      alex.id("reflections-filter-status").selectOption("complete");
      assertThat(alex.id("reflection-item")).hasCount(1);

      // A second draft, deleted after confirming.
      alex.go("#/exercises");
      alex.page.locator("[data-exercise-id='free-blank-page'] [data-testid='exercise-begin']").click();
      alex.id("step-text").fill("A page I will throw away.");
      assertThat(alex.id("save-state")).hasText("Saved");
      alex.id("runner-leave").click();
      Locator throwaway = alex.id("reflection-item").filter(new Locator.FilterOptions().setHasText("A page I will throw away."));
      throwaway.getByTestId("reflection-delete").click();
      assertThat(alex.id("confirm-delete-reflection")).isVisible();
      alex.id("dialog-cancel").click();
      assertThat(throwaway).isVisible();
      throwaway.getByTestId("reflection-delete").click();
      alex.id("dialog-confirm").click();
      assertThat(throwaway).hasCount(0);
      assertThat(alex.id("reflection-item")).hasCount(1);

      // The parts map: add, edit, delete.
      alex.go("#/parts");
      assertThat(alex.id("parts-empty")).isVisible();
      alex.id("part-add").click();
      alex.id("part-save").click();
      assertThat(alex.id("part-form-error")).hasText("Please give this part a name.");
      alex.id("part-name").fill("The Worrier");
      alex.id("part-role-select").selectOption("manager");
      alex.id("part-belief").fill("I am too much.");
      alex.id("part-save").click();
      Locator worrier = alex.id("part-card").filter(new Locator.FilterOptions().setHasText("The Worrier"));
      assertThat(worrier).containsText("I am too much.");
      assertThat(worrier.getByTestId("part-role")).hasText("Manager");
      worrier.getByTestId("part-edit").click();
      alex.id("part-needs").fill("To be told it can rest.");
      alex.id("part-save").click();
      assertThat(worrier).containsText("To be told it can rest.");
      alex.id("part-add").click();
      alex.id("part-name").fill("Little one");
      alex.id("part-save").click();
      assertThat(alex.id("part-card")).hasCount(2);
      alex.id("part-card").filter(new Locator.FilterOptions().setHasText("Little one")).getByTestId("part-delete").click();
      alex.id("dialog-confirm").click();
      assertThat(alex.id("part-card")).hasCount(1);

      // Check-ins, on a phone: the menu opens, and the check-in shows in the list and the chart.
      alex.page.setViewportSize(Person.PHONE_W, Person.PHONE_H);
      assertThat(alex.id("nav-checkins")).isHidden();
      alex.id("nav-toggle").click();
      assertThat(alex.id("nav-toggle")).hasAttribute("aria-expanded", "true");
      alex.id("nav-checkins").click();
      alex.expectTitle("Check-ins");
      assertThat(alex.id("nav-toggle")).hasAttribute("aria-expanded", "false");
      assertThat(alex.id("checkins-empty")).isVisible();
      alex.page.locator("[data-testid='checkin-emotions'] [data-emotion='tender']").click();
      alex.id("checkin-intensity").fill("6");
      assertThat(alex.id("checkin-intensity-value")).hasText("6");
      alex.id("checkin-note").fill("Calmer after the walk.");
      alex.id("checkin-submit").click();
      assertThat(alex.id("checkin-item")).hasCount(1);
      assertThat(alex.id("checkin-item")).containsText("tender");
      assertThat(alex.id("checkin-item")).containsText("Calmer after the walk.");
      assertThat(alex.id("chart-point")).hasCount(1);
      // The chart is drawn at the phone's width, so its labels stay readable.
      Number labelHeight = (Number) alex.page.evaluate("() => document.querySelector(\"[data-testid='checkin-chart'] text\").getBoundingClientRect().height");
      assertTrue(labelHeight.doubleValue() >= 10, "chart labels are readable on a phone: " + labelHeight);
      assertThat(alex.id("checkin-note")).hasValue("");
      assertFalse(alex.overflowsSideways(), "the check-ins page fits a phone screen");
      alex.page.setViewportSize(Person.DESKTOP_W, Person.DESKTOP_H);

      // My data: the export holds what Alex owns.
      alex.go("#/account");
      Download export = alex.download(alex.id("export-data"));
      JsonObject exported = new JsonObject(Person.text(export));
      String all = exported.encode();
      assertTrue(all.contains(happened), "the export holds the reflection");
      assertTrue(all.contains("To be told it can rest."), "the export holds the part");
      assertTrue(all.contains("Calmer after the walk."), "the export holds the check-in");
      assertFalse(all.contains("A page I will throw away."), "a deleted draft is not exported");

      alex.assertStoresNothing();
      assertEquals(1, alex.openSockets(), "one WebSocket for the tab");

      // Deleting the account asks for the password and a tick, then signs out for good.
      alex.id("account-delete").click();
      assertThat(alex.id("confirm-delete-account")).isVisible();
      alex.id("dialog-confirm").click();
      assertThat(alex.id("dialog-error")).hasText("Please enter your password.");
      alex.id("delete-password").fill("not the password at all");
      alex.id("delete-understand").check();
      alex.id("dialog-confirm").click();
      assertThat(alex.id("dialog-error")).isVisible();
      assertThat(alex.id("delete-password")).hasAttribute("aria-invalid", "true");
      alex.id("delete-password").fill(Person.PASSWORD);
      alex.id("dialog-confirm").click();
      alex.expectTitle("Welcome back");
      assertThat(alex.id("auth-notice")).containsText("Your account has been deleted");
      alex.id("signin-email").fill(alex.email);
      alex.id("signin-password").fill(Person.PASSWORD);
      alex.id("signin-submit").click();
      assertThat(alex.id("auth-error")).isVisible();
      assertFalse(server.dumpDatabase().contains(alex.email), "nothing of the account is left");

      alex.assertStoresNothing();
      alex.assertNoProblems();
    }
  }

  @Test
  void aPartSavedOnAnotherDeviceWhileTheListIsOnTheWayStillShows() {
    try (Person laptop = Person.desktop(browser, server, "Sam").signUp();
         Person phone = laptop.anotherDevice(browser, server, Person.PHONE_W, Person.PHONE_H)) {
      // The phone asks for its parts before the laptop saves one, and the answer (read before the
      // save) only arrives after the live event of the save: the slow answer must not drop it.
      AtomicBoolean eventArrived = HeldAnswer.eventSeen(phone.page, "part.saved");
      HeldAnswer parts = HeldAnswer.holdFirst(phone.page, url -> url.endsWith("/api/parts"));
      phone.page.navigate("about:blank");
      phone.page.navigate("/#/parts"); // a fresh load: the socket opened now is the one watched
      phone.expectConnection("live");
      APIResponse stale = parts.awaitAsked();
      assertEquals("[]", new JsonObject(stale.text()).getJsonArray("parts").encode(), "the answer is from before the save");

      laptop.go("#/parts");
      laptop.id("part-add").click();
      laptop.id("part-name").fill("The Planner");
      laptop.id("part-save").click();
      assertThat(laptop.id("part-card")).hasCount(1);
      phone.page.waitForCondition(eventArrived::get);

      parts.release();
      assertThat(phone.id("part-card")).hasCount(1);
      assertThat(phone.id("part-card")).containsText("The Planner");
      phone.assertNoProblems();
    }
  }

  @Test
  void twoDevicesEditingOneDraftNeverLoseWhatWasTyped() {
    try (Person laptop = Person.desktop(browser, server, "Robin").signUp()) {
      laptop.go("#/exercises");
      laptop.page.locator("[data-exercise-id='free-blank-page'] [data-testid='exercise-begin']").click();
      laptop.id("step-text").fill("First words.");
      assertThat(laptop.id("save-state")).hasText("Saved");

      try (Person phone = laptop.anotherDevice(browser, server, Person.PHONE_W, Person.PHONE_H)) {
        phone.go("#/reflections");
        phone.id("reflection-continue").click();
        phone.id("runner-back").click();
        assertThat(phone.id("step-text")).hasValue("First words.");
        phone.expectConnection("live");

        // The phone loses its network and keeps typing; the laptop saves a different version meanwhile.
        phone.context.setOffline(true);
        phone.expectConnection("offline");
        String phoneWords = "First words. Then, on the train, the phone's words.";
        phone.id("step-text").fill(phoneWords);
        assertThat(phone.id("save-state")).hasAttribute("data-state", "error");
        assertThat(phone.id("save-state")).containsText("your words stay here");
        String laptopWords = "First words. And the laptop's words.";
        laptop.id("step-text").fill(laptopWords);
        assertThat(laptop.id("save-state")).hasText("Saved");

        // Back online, the phone's save meets the newer version: both are shown, nothing is dropped.
        phone.context.setOffline(false);
        assertThat(phone.id("conflict")).isVisible();
        assertThat(phone.id("save-state")).hasAttribute("data-state", "conflict");
        assertThat(phone.id("conflict-mine")).containsText(phoneWords);
        assertThat(phone.id("conflict-other")).containsText(laptopWords);
        assertThat(phone.id("step-text")).hasValue(phoneWords);
        // Typing more while the choice is open still keeps every word.
        phone.id("step-text").fill(phoneWords + " More.");
        assertThat(phone.id("conflict-mine")).containsText(phoneWords + " More.");
        assertFalse(phone.overflowsSideways(), "the conflict panel fits a phone screen");

        phone.id("conflict-keep-mine").click();
        assertThat(phone.id("conflict")).hasCount(0);
        assertThat(phone.id("save-state")).hasText("Saved");
        // The laptop, not typing, follows live.
        assertThat(laptop.id("step-text")).hasValue(phoneWords + " More.");
        assertThat(laptop.id("save-state")).hasText("Saved");

        // The other way round: the laptop loses a race and chooses the other version.
        laptop.context.setOffline(true);
        laptop.expectConnection("offline");
        laptop.id("step-text").fill("Laptop, offline again.");
        assertThat(laptop.id("save-state")).hasAttribute("data-state", "error");
        phone.id("step-text").fill("The phone's final words.");
        assertThat(phone.id("save-state")).hasText("Saved");
        laptop.context.setOffline(false);
        assertThat(laptop.id("conflict-mine")).containsText("Laptop, offline again.");
        assertThat(laptop.id("conflict-other")).containsText("The phone's final words.");
        laptop.id("conflict-use-other").click();
        assertThat(laptop.id("step-text")).hasValue("The phone's final words.");
        assertThat(laptop.id("save-state")).hasText("Saved");
        laptop.expectConnection("live");
        assertThat(phone.id("step-text")).hasValue("The phone's final words.");

        // The same for a part edited on both devices at once: the form keeps what was typed.
        laptop.go("#/parts");
        laptop.id("part-add").click();
        laptop.id("part-name").fill("The Critic");
        laptop.id("part-save").click();
        phone.go("#/parts");
        assertThat(phone.id("part-card")).hasCount(1);
        phone.id("part-edit").click();
        phone.id("part-belief").fill("I am not enough. (phone)");
        laptop.id("part-edit").click();
        laptop.id("part-belief").fill("I must never fail. (laptop)");
        laptop.id("part-save").click();
        assertThat(laptop.id("part-card")).containsText("I must never fail. (laptop)");
        phone.id("part-save").click();
        assertThat(phone.id("part-conflict")).isVisible();
        assertThat(phone.id("part-belief")).hasValue("I am not enough. (phone)");
        phone.id("conflict-keep-mine").click();
        assertThat(phone.id("part-form")).hasCount(0);
        assertThat(phone.id("part-card")).containsText("I am not enough. (phone)");
        assertThat(laptop.id("part-card")).containsText("I am not enough. (phone)");

        phone.assertStoresNothing();
        laptop.assertStoresNothing();

        // Deleting the account on the laptop ends the phone's session too: its socket is closed
        // and the phone shows the sign-in page without a reload.
        phone.page.evaluate("() => { window.__phoneTab = 1; }");
        laptop.go("#/account");
        laptop.id("account-delete").click();
        laptop.id("delete-password").fill(Person.PASSWORD);
        laptop.id("delete-understand").check();
        laptop.id("dialog-confirm").click();
        laptop.expectTitle("Welcome back");
        phone.expectTitle("Welcome back");
        assertThat(phone.id("auth-notice")).hasText("Your session has ended. Please sign in again.");
        assertEquals(1, phone.page.evaluate("() => window.__phoneTab"));
        assertEquals(0, phone.openSockets());

        phone.assertNoProblems();
        laptop.assertNoProblems();
      }
    }
  }
}
