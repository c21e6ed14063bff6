package dev.bridgework.ui;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** One real server and one Chromium per browser test class (they are slow to start; classes run one at a time). */
@ExtendWith(VertxExtension.class)
abstract class BrowserTestSupport {
  static TestServer server;
  static Browser browser;

  @BeforeAll
  static void startServerAndBrowser(Vertx vertx, VertxTestContext ctx) {
    PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    // The server deploys on the event loops while Playwright launches Chromium on this thread.
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
    browser = Browser.launch();
  }

  @AfterAll
  static void stopServerAndBrowser() {
    if (browser != null) browser.close();
    browser = null;
    server = null;
  }
}
