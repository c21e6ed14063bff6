package dev.bridgework.ui;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.bridgework.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One real server and one Chromium per browser test class (they are slow to start; classes run one at a time). */
abstract class BrowserTestSupport {
  static TestServer server;
  static Browser browser;

  @BeforeAll
  static void startServerAndBrowser() {
    PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    server = TestServer.start();
    browser = Browser.launch();
  }

  @AfterAll
  static void stopServerAndBrowser() {
    if (browser != null) browser.close();
    if (server != null) server.close();
    browser = null;
    server = null;
  }
}
