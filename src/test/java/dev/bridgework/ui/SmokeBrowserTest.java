package dev.bridgework.ui;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.bridgework.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmokeBrowserTest {
  static TestServer server;
  static Browser browser;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  @Test
  void theSignInPageLoadsWithoutErrorsUnderTheCsp() {
    try (BrowserContext ctx = browser.newContext(server.origin(), 1280, 900)) {
      Page page = ctx.newPage();
      List<String> errors = new ArrayList<>();
      page.onConsoleMessage(m -> { if ("error".equals(m.type())) errors.add(m.text()); });
      page.onPageError(errors::add);
      page.navigate("/");
      page.waitForLoadState();
      assertTrue(page.title().contains("Bridgework"), page.title());
      AxeResults axe = new AxeBuilder(page).analyze();
      long serious = axe.getViolations().stream().filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact())).count();
      assertEquals(0, serious, axe.getViolations().toString());
      assertEquals(List.of(), errors.stream().filter(e -> !e.contains("401")).toList());
    }
  }
}
