package dev.bridgework.ui;

import com.microsoft.playwright.Locator;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
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
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Staying in touch (issue #16) in the browser: the calm unread count in the navigation and the
 * title, the quiet notice on arrival, New markers in the joint space, seen state shared by two
 * devices of one person, opt-in seen receipts, and the notification settings on the account page.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class NotificationsBrowserTest extends BrowserTestSupport {

  private static JsonObject put(Api api, String path, JsonObject body) {
    var r = api.put(path, body);
    assertTrue(r.statusCode() == 200 || r.statusCode() == 201, path + " " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static String share(Api api, String title, String text) {
    String id = UUID.randomUUID().toString();
    put(api, "/api/shares/" + id, new JsonObject().put("title", title).put("intent", "listen")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", text))));
    return id;
  }

  private static void comment(Api api, String shareId, String text) {
    put(api, "/api/shares/" + shareId + "/responses/" + UUID.randomUUID(), new JsonObject().put("kind", "comment").put("text", text));
  }

  private static Locator navCount(Person p) {
    return p.page.locator("[data-nav='joint'] [data-testid='unread-count']");
  }

  private static Locator menuCount(Person p) {
    return p.page.locator("[data-action='toggle-nav'] [data-testid='unread-count-menu']");
  }

  private static Locator announcer(Person p) {
    return p.page.locator("[data-announcer]");
  }

  private static Locator marker(Person p, String title) {
    return p.shareCard(title).getByTestId("unread-marker");
  }

  private static void expectTitleCount(Person p, int count, String page) {
    String title = page + " · Bridgework";
    assertThat(p.page).hasTitle(count > 0 ? "(" + count + ") " + title : title);
  }

  @Test
  void theCountMarkersAndQuietNoticeFollowWhatArrivedAndSeenIsSharedByBothDevices() {
    Api a = server.register("Alex");
    Api b = server.register("Sam");
    Pairing.pair(a, b);
    String samsShare = share(b, "Our mornings", "I miss our slow mornings.");

    try (Person sam = Person.desktop(browser, server, "Sam").signInAs(b);
         Person samPhone = sam.anotherDevice(browser, server, Person.PHONE_W, Person.PHONE_H)) {
      // Nothing waiting: no count anywhere.
      sam.go("#/home");
      samPhone.go("#/home");
      expectTitleCount(sam, 0, "Home");
      assertThat(navCount(sam)).hasCount(0);

      // Alex shares while Sam is elsewhere in the app: a calm count, the title, a quiet notice.
      share(a, "Sunday evenings", "I would like one quiet evening a week.");
      assertThat(navCount(sam)).hasAttribute("data-count", "1");
      assertThat(navCount(sam)).hasText("1 new");
      expectTitleCount(sam, 1, "Home");
      assertThat(announcer(sam)).hasText("Something new arrived in your joint space.");
      assertThat(announcer(sam)).hasAttribute("aria-live", "polite");
      // The other device counts the same; on the phone the count sits on the menu button.
      expectTitleCount(samPhone, 1, "Home");
      assertThat(menuCount(samPhone)).hasAttribute("data-count", "1");

      // A reply to Sam's own share and a review Alex started count too; the count follows Sam around.
      comment(a, samsShare, "Me too, very much.");
      put(a, "/api/shares/" + samsShare + "/counseling", new JsonObject().put("flag", true));
      var review = a.post("/api/reviews", new JsonObject());
      assertEquals(201, review.statusCode(), review.bodyAsString());
      assertThat(navCount(sam)).hasAttribute("data-count", "3");
      assertThat(announcer(sam)).hasText(Pattern.compile("(3|2) new things in your joint space\\."));
      sam.go("#/account");
      expectTitleCount(sam, 3, "My data");
      expectTitleCount(samPhone, 3, "Home");

      // Sam looks: markers on what is new, the changed review noted, the count gone on both devices.
      sam.go("#/joint");
      assertThat(marker(sam, "Sunday evenings")).hasText("New");
      assertThat(marker(sam, "Our mornings")).hasText("New reply");
      assertThat(sam.id("review-unread")).containsText("changed your joint review");
      expectTitleCount(sam, 0, "Joint space");
      assertThat(navCount(sam)).hasCount(0);
      expectTitleCount(samPhone, 0, "Home");
      assertThat(menuCount(samPhone)).hasCount(0);
      // The markers stay while Sam is looking, also across a re-render of the card.
      comment(b, samsShare, "Let's plan one.");
      assertThat(sam.shareCard("Our mornings").getByTestId("response")).hasCount(2);
      assertThat(marker(sam, "Our mornings")).hasText("New reply");

      // Something arriving while Sam looks is marked on its card, and counts as seen at once.
      share(a, "A small thank-you", "Thank you for the coffee.");
      assertThat(marker(sam, "A small thank-you")).hasText("New");
      expectTitleCount(sam, 0, "Joint space");
      assertThat(navCount(sam)).hasCount(0);
      expectTitleCount(samPhone, 0, "Home");

      // Back later: everything was seen, so nothing is marked any more, on either device.
      sam.go("#/home");
      sam.go("#/joint");
      assertThat(sam.id("share-card")).hasCount(3);
      assertThat(sam.id("unread-marker")).hasCount(0);
      assertThat(sam.id("review-unread")).hasCount(0);
      samPhone.go("#/joint");
      assertThat(samPhone.id("share-card")).hasCount(3);
      assertThat(samPhone.id("unread-marker")).hasCount(0);

      // The phone looks first this time; the desktop's count goes too, without a reload.
      sam.go("#/home");
      samPhone.go("#/home");
      share(a, "Weekend plans", "A walk on Saturday?");
      expectTitleCount(sam, 1, "Home");
      expectTitleCount(samPhone, 1, "Home");
      samPhone.go("#/joint");
      assertThat(marker(samPhone, "Weekend plans")).hasText("New");
      expectTitleCount(sam, 0, "Home");
      assertThat(navCount(sam)).hasCount(0);

      // A review change alone is seen on the review page, too.
      samPhone.go("#/home");
      var note = a.put("/api/reviews/" + review.bodyAsJsonObject().getString("id") + "/ready", new JsonObject().put("ready", true));
      assertEquals(200, note.statusCode(), note.bodyAsString());
      expectTitleCount(sam, 1, "Home");
      sam.go("#/review");
      expectTitleCount(sam, 0, "Joint review");
      expectTitleCount(samPhone, 0, "Home");

      // Alex's words reach the screen only as text.
      assertTrue(sam.receivedText().contains("Sunday evenings"));
      sam.assertNoProblems();
      samPhone.assertNoProblems();
    }
  }

  @Test
  void seenReceiptsShowOnlyWhenBothPartnersTurnedThemOn() {
    Api a = server.register("Alex");
    Api b = server.register("Sam");
    Pairing.pair(a, b);
    share(a, "About Friday", "I was tired, not angry.");

    try (Person alex = Person.desktop(browser, server, "Alex").signInAs(a);
         Person sam = Person.desktop(browser, server, "Sam").signInAs(b)) {
      // Off by default: Sam opens the share, Alex sees nothing about it.
      sam.go("#/joint");
      assertThat(marker(sam, "About Friday")).hasText("New");
      alex.go("#/joint");
      assertThat(alex.shareCard("About Friday")).isVisible();
      assertThat(alex.shareCard("About Friday").getByTestId("share-notices")).isHidden();
      assertThat(alex.id("seen-receipt")).hasCount(0);

      // Only Alex turns receipts on: still nothing, even after Sam opens it again.
      setReceipts(alex, true);
      sam.go("#/home");
      sam.go("#/joint");
      assertThat(sam.shareCard("About Friday")).isVisible();
      alex.go("#/joint");
      assertThat(alex.shareCard("About Friday")).isVisible();
      assertThat(alex.id("seen-receipt")).hasCount(0);

      // Both on: Sam's next look is kept, and Alex sees "Opened" on the share, not on Sam's cards.
      setReceipts(sam, true);
      sam.go("#/joint");
      assertThat(sam.shareCard("About Friday")).isVisible();
      share(b, "Something of mine", "A small note.");
      assertThat(sam.shareCard("Something of mine")).isVisible();
      assertThat(sam.id("seen-receipt")).hasCount(0);
      alex.go("#/home");
      alex.go("#/joint");
      assertThat(alex.shareCard("About Friday").getByTestId("seen-receipt")).hasText("Opened");
      assertThat(alex.shareCard("Something of mine")).isVisible();
      assertThat(alex.shareCard("Something of mine").getByTestId("seen-receipt")).hasCount(0);

      // Sam turns them off again: Alex no longer sees it.
      setReceipts(sam, false);
      alex.go("#/home");
      alex.go("#/joint");
      assertThat(alex.shareCard("About Friday")).isVisible();
      assertThat(alex.id("seen-receipt")).hasCount(0);
      alex.assertNoProblems();
      sam.assertNoProblems();
    }
  }

  private static void setReceipts(Person p, boolean on) {
    p.go("#/account");
    Locator box = p.id("notify-receipts");
    assertThat(box).isVisible();
    box.setChecked(on);
    p.id("notify-save").click();
    assertThat(p.id("notify-saved")).isVisible();
  }

  @Test
  void theSettingsSectionSavesValidatesAndHasNoSeriousAxeViolations() {
    Api a = server.register("Robin");
    try (Person robin = Person.desktop(browser, server, "Robin").signInAs(a)) {
      robin.go("#/account");
      Locator section = robin.id("notification-settings");
      assertThat(robin.id("notify-save")).isVisible();
      assertThat(robin.id("notify-email")).hasValue("never");
      assertThat(robin.id("notify-receipts")).not().isChecked();
      checkAxe(robin, "settings as loaded");

      // A zone nobody knows: a clear message at the field, nothing sent.
      long savesBefore = saves(robin);
      robin.id("notify-zone").fill("Mars/Olympus");
      robin.id("notify-save").click();
      assertThat(robin.id("notify-error")).isVisible();
      assertThat(robin.id("notify-error")).containsText("We don’t know that time zone");
      assertThat(robin.id("notify-zone")).hasAttribute("aria-invalid", "true");
      assertThat(robin.id("notify-zone")).isFocused();
      assertThat(robin.id("notify-saved")).isHidden();
      assertEquals(savesBefore, saves(robin), "nothing was sent");
      checkAxe(robin, "settings with an error");

      // An offset is not a zone either; quiet hours need both times.
      robin.id("notify-zone").fill("+02:00");
      robin.id("notify-save").click();
      assertThat(robin.id("notify-error")).containsText("We don’t know that time zone");
      robin.id("notify-zone").fill("Europe/Berlin");
      robin.id("notify-quiet").check();
      robin.id("notify-quietFrom").fill("");
      robin.id("notify-save").click();
      assertThat(robin.id("notify-error")).containsText("When quiet hours begin");
      assertThat(robin.id("notify-quietFrom")).hasAttribute("aria-invalid", "true");
      assertThat(robin.id("notify-zone")).not().hasAttribute("aria-invalid", "true");

      // Everything chosen, saved, and still there after a reload.
      robin.id("notify-quietFrom").fill("22:00");
      robin.id("notify-quietTo").fill("07:00");
      robin.id("notify-email").selectOption("digest");
      robin.id("notify-digestAt").fill("08:30");
      robin.id("notify-receipts").check();
      robin.id("notify-every").selectOption("weekly");
      robin.id("notify-weekday").selectOption("sunday");
      robin.id("notify-checkinAt").fill("19:00");
      robin.id("notify-channel").selectOption("app");
      robin.id("notify-save").click();
      assertThat(robin.id("notify-saved")).isVisible();
      assertThat(robin.id("notify-error")).isHidden();
      assertThat(robin.id("notify-quietFrom")).not().hasAttribute("aria-invalid", "true");
      JsonObject expected = new JsonObject().put("email", "digest").put("digestAt", "08:30").put("zone", "Europe/Berlin")
          .put("quietHours", new JsonObject().put("from", "22:00").put("to", "07:00")).put("receipts", true)
          .put("checkin", new JsonObject().put("every", "weekly").put("weekday", "sunday").put("at", "19:00").put("channel", "app"));
      assertEquals(expected, a.get("/api/me/notifications").bodyAsJsonObject());
      checkAxe(robin, "settings saved");

      robin.page.reload();
      robin.expectTitle("My data");
      assertThat(robin.id("notify-zone")).hasValue("Europe/Berlin");
      assertThat(robin.id("notify-email")).hasValue("digest");
      assertThat(robin.id("notify-digestAt")).hasValue("08:30");
      assertThat(robin.id("notify-quiet")).isChecked();
      assertThat(robin.id("notify-receipts")).isChecked();
      assertThat(robin.id("notify-every")).hasValue("weekly");
      assertThat(robin.id("notify-weekday")).hasValue("sunday");
      assertThat(robin.id("notify-checkinAt")).hasValue("19:00");
      assertThat(section).isVisible();
      robin.assertNoProblems();
    }
  }

  private static long saves(Person p) {
    synchronized (p.sent) {
      return p.sent.stream().filter(r -> r.startsWith("PUT ") && r.contains("/api/me/notifications")).count();
    }
  }

  /** axe-core at desktop and phone width: no serious or critical violation. */
  private static void checkAxe(Person p, String where) {
    List<String> failures = new ArrayList<>();
    for (int[] size : new int[][] {{Person.DESKTOP_W, Person.DESKTOP_H}, {Person.PHONE_W, Person.PHONE_H}}) {
      p.page.setViewportSize(size[0], size[1]);
      p.id("notification-settings").scrollIntoViewIfNeeded();
      p.axeProblems().forEach(v -> failures.add(where + " at " + size[0] + " px: " + v));
      if (size[0] == Person.PHONE_W) assertTrue(!p.overflowsSideways(), where + ": nothing is cut off at " + size[0] + " px");
    }
    p.page.setViewportSize(Person.DESKTOP_W, Person.DESKTOP_H);
    assertEquals(List.of(), failures);
  }
}
