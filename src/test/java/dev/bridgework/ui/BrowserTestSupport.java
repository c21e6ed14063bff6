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
    // PBKDF2 at the production 600,000 iterations would make every sign-up and sign-in slow here.
    server = TestServer.start(java.util.Map.of("crypto.minKdfIterations", "1000"));
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
