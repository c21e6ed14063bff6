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

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counselor access in three browsers (docs/COUNSELOR.md): Alex proposes a link on the review page
 * and sees it once, Sam agrees, the counselor (a browser without an account) opens it and reads the
 * agenda; Alex withdraws a share and it leaves the counselor's open page at once; Sam ends access
 * and the page says so.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class CounselorBrowserTest extends BrowserTestSupport {
  private static String share(Api api, String title, String text) {
    server.clock.advance(Duration.ofMinutes(1));
    String id = UUID.randomUUID().toString();
    var r = api.put("/api/shares/" + id, new JsonObject().put("title", title)
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", text))).put("intent", "discuss"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  private static Locator grant(Person p) {
    return p.id("counselor-grant").first();
  }

  @Test
  void partnersAgreeAndTheCounselorReadsTheLiveAgenda() {
    Api a = server.register("Alex");
    Api b = server.register("Sam");
    Pairing.pair(a, b);
    String offAgenda = "Off the agenda: " + UUID.randomUUID();
    share(b, "Not for the counselor", offAgenda);
    String plans = share(a, "When plans change", "When plans change at the last minute I feel forgotten.");
    String mornings = share(b, "Mornings feel rushed", "Our mornings feel rushed and I miss talking.");
    var review = a.post("/api/reviews", new JsonObject());
    assertEquals(201, review.statusCode(), review.bodyAsString());
    String reviewId = review.bodyAsJsonObject().getString("id");
    assertEquals(200, a.put("/api/reviews/" + reviewId + "/agenda",
        new JsonObject().put("shareIds", new JsonArray(List.of(plans, mornings)))).statusCode());
    assertEquals(200, b.put("/api/reviews/" + reviewId + "/notes/" + mornings,
        new JsonObject().put("text", "I'd like us to find ten calm minutes.")).statusCode());

    try (Person alex = Person.desktop(browser, server, "Alex").signInAs(a);
         Person sam = Person.desktop(browser, server, "Sam").signInAs(b)) {
      alex.go("#/review");
      sam.go("#/review");
      assertThat(alex.id("counselor-panel")).isVisible();
      assertThat(alex.id("counselor-none")).isVisible();

      // Alex proposes; the link is shown once.
      alex.id("counselor-label").fill("Dr. Rivera");
      alex.id("counselor-days").fill("7");
      alex.id("counselor-propose").click();
      assertThat(alex.id("counselor-link")).isVisible();
      String link = alex.id("counselor-link").inputValue();
      assertTrue(link.startsWith(server.origin() + "/counselor.html#"), link);
      assertThat(grant(alex)).hasAttribute("data-status", "pending");
      // Sam's screen shows the proposal live, asking for agreement; Sam never sees the link.
      assertThat(grant(sam)).hasAttribute("data-status", "pending");
      assertThat(grant(sam).getByTestId("counselor-grant-label")).hasText("Dr. Rivera");
      assertThat(alex.id("counselor-consent")).hasCount(0);
      assertFalse(sam.page.content().contains(link.substring(link.indexOf('#') + 1)));
      alex.id("counselor-link-done").click();
      assertThat(alex.id("counselor-link")).hasCount(0);

      // Until Sam agrees, the link shows nothing.
      try (Person early = Person.desktop(browser, server, "Counselor")) {
        early.page.navigate(link);
        assertThat(early.id("counselor-unavailable")).isVisible();
      }
      sam.id("counselor-consent").click();
      assertThat(grant(sam)).hasAttribute("data-status", "active");
      assertThat(grant(alex)).hasAttribute("data-status", "active");

      // The counselor opens the link on a phone, without an account.
      try (Person counselor = Person.phone(browser, server, "Counselor")) {
        counselor.page.navigate(link);
        assertThat(counselor.id("counselor-item")).hasCount(2);
        assertThat(counselor.id("counselor-item-title").nth(0)).hasText("1. When plans change");
        assertThat(counselor.id("counselor-item-title").nth(1)).hasText("2. Mornings feel rushed");
        assertThat(counselor.id("counselor-label")).hasText("Shared with Dr. Rivera.");
        assertThat(counselor.id("counselor-note")).containsText("I'd like us to find ten calm minutes.");
        assertThat(counselor.id("counselor-live")).hasAttribute("data-state", "live");
        assertFalse(counselor.page.content().contains(offAgenda));
        assertEquals(List.of(), counselor.axeProblems(), "axe-core on the counselor's page");
        assertFalse(counselor.overflowsSideways(), "the counselor's page fits a phone screen");
        assertEquals("noindex, nofollow, noarchive", counselor.page.locator("meta[name=robots]").getAttribute("content"));

        // Both partners see that it was opened.
        assertThat(alex.id("counselor-open")).hasCount(1);
        assertThat(sam.id("counselor-open")).containsText("Chrome on Linux");

        // Alex withdraws a share: it leaves the counselor's open page at once.
        alex.go("#/joint");
        alex.shareCard("When plans change").getByTestId("share-withdraw").click();
        alex.id("dialog-confirm").click();
        assertThat(counselor.id("counselor-item")).hasCount(1);
        assertThat(counselor.id("counselor-item-title")).hasText("1. Mornings feel rushed");
        assertFalse(counselor.page.content().contains("last minute I feel forgotten"));

        // Sam ends access: the page says the link is not available.
        sam.id("counselor-revoke").click();
        assertThat(sam.id("confirm-counselor-revoke")).isVisible();
        sam.id("dialog-confirm").click();
        assertThat(grant(sam)).hasAttribute("data-status", "revoked");
        assertThat(counselor.id("counselor-unavailable")).isVisible();
        assertThat(counselor.id("counselor-item")).hasCount(0);
        counselor.assertNoProblems();
      }
      alex.go("#/review");
      assertThat(grant(alex)).hasAttribute("data-status", "revoked");
      assertEquals(List.of(), alex.axeProblems(), "axe-core on the review page with the counselor panel");
      alex.assertNoProblems();
      sam.assertNoProblems();
    }
  }

  @Test
  void theCounselorPanelFitsAPhone() {
    Api a = server.register("Robin");
    Api b = server.register("Kai");
    Pairing.pair(a, b);
    assertEquals(201, a.post("/api/reviews", new JsonObject()).statusCode());
    try (Person robin = Person.phone(browser, server, "Robin").signInAs(a)) {
      robin.go("#/review");
      assertThat(robin.id("counselor-review").locator("option")).hasCount(1);
      robin.id("counselor-propose").click();
      assertThat(robin.id("counselor-link")).isVisible();
      assertThat(grant(robin)).hasAttribute("data-status", "pending");
      assertFalse(robin.overflowsSideways(), "the review page with the counselor panel fits a phone");
      assertEquals(List.of(), robin.axeProblems());
      robin.assertNoProblems();
    }
  }
}
