package dev.bridgework.ui;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Playwright driving Debian's Chromium (/usr/bin/chromium); Playwright never downloads a browser
 * (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1). The flags keep Chromium off the network, which this
 * machine does not have, so it does not stall on background requests.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("BRIDGEWORK_CHROMIUM", "/usr/bin/chromium"));
  private final Playwright playwright;
  private final com.microsoft.playwright.Browser browser;

  private Browser() {
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM)
        .setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage")));
  }

  public static Browser launch() {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException("Chromium is needed for the browser tests: apt-get install -y chromium");
    }
    return new Browser();
  }

  /** A fresh browser profile: its own cookies, like a separate device. */
  public BrowserContext newContext(String baseUrl, int width, int height) {
    return browser.newContext(new NewContextOptions().setBaseURL(baseUrl).setViewportSize(width, height)
        .setAcceptDownloads(true));
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
