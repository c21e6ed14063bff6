package dev.bridgework.ui;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.WebSocket;
import com.microsoft.playwright.options.Cookie;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.json.JsonArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One person on one device: a fresh browser profile (its own cookies) with one tab on the app, and a
 * record of what that tab received (every API response body and every WebSocket frame) and of every
 * error it logged, so a test can prove what never reached it and that nothing broke on the way.
 */
final class Person implements AutoCloseable {
  static final String PASSWORD = Api.PASSWORD;
  static final int DESKTOP_W = 1280;
  static final int DESKTOP_H = 900;
  static final int PHONE_W = 375;
  static final int PHONE_H = 812;
  private static final AtomicInteger EMAILS = new AtomicInteger();
  private static final String AXE_SOURCE = axeSource();

  private static String axeSource() {
    try (InputStream in = AxeBuilder.class.getResourceAsStream("/axe.min.js")) {
      if (in == null) throw new IllegalStateException("axe.min.js is missing from the axe-core playwright jar");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /*
   * Chromium logs every 4xx answer of fetch() as a console error ("Failed to load resource: the
   * server responded with a status of 404"). The app meets some on purpose: 401 from /api/me before
   * signing in, 404 for a reflection that does not exist yet, 409 for a version conflict, and a
   * refused request while the context is offline. Everything else logged as an error counts: script
   * errors, CSP violations ("Refused to …"), 5xx answers.
   */
  private static final Pattern EXPECTED_NETWORK_NOISE = Pattern.compile(
      "^Failed to load resource: (the server responded with a status of 4\\d\\d .*|net::ERR_INTERNET_DISCONNECTED)$");

  final String name;
  final BrowserContext context;
  final Page page;
  String email;
  /** The password this person signs in with now (a recovery or a password change replaces it). */
  String password = PASSWORD;
  /** The recovery code the app showed last (sign-up, recovery, password change), as shown. */
  String recoveryCode;
  /** Every request the tab sent: method, URL and body, to prove what never left the browser. */
  final List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());

  private final List<String> problems = new ArrayList<>();
  private final List<Response> apiResponses = new ArrayList<>();
  /** Every WebSocket the tab opened, in order, with the frames it received. */
  final List<Socket> sockets = new ArrayList<>();

  record Socket(WebSocket ws, StringBuilder frames) {
    String text() {
      synchronized (frames) {
        return frames.toString();
      }
    }
  }

  Person(Browser browser, TestServer server, String name, int width, int height) {
    this.name = name;
    this.context = browser.newContext(server.origin(), width, height);
    context.setDefaultTimeout(20_000);
    this.page = context.newPage();
    watchForProblems(page, "");
    // Tabs the app opens (the printable brief) are watched the same way.
    context.onPage(tab -> watchForProblems(tab, "[new tab] "));
    // Kept to read their bodies after the flows (see receivedText) and to check their statuses.
    page.onRequest(r -> sent.add(r.method() + " " + r.url() + "\n" + (r.postData() == null ? "" : r.postData())));
    page.onResponse(r -> {
      if (r.url().contains("/api/")) apiResponses.add(r);
    });
    page.onWebSocket(ws -> {
      Socket socket = new Socket(ws, new StringBuilder());
      sockets.add(socket);
      ws.onFrameReceived(f -> {
        synchronized (socket.frames) {
          socket.frames.append(f.text()).append('\n');
        }
      });
    });
  }

  private void watchForProblems(Page tab, String prefix) {
    tab.onConsoleMessage(m -> {
      if (("error".equals(m.type()) && !EXPECTED_NETWORK_NOISE.matcher(m.text()).matches())
          || m.text().contains("Content Security Policy")) {
        problems.add(prefix + m.type() + ": " + m.text());
      }
    });
    tab.onPageError(e -> problems.add(prefix + "page error: " + e));
  }

  static Person desktop(Browser browser, TestServer server, String name) {
    return new Person(browser, server, name, DESKTOP_W, DESKTOP_H);
  }

  static Person phone(Browser browser, TestServer server, String name) {
    return new Person(browser, server, name, PHONE_W, PHONE_H);
  }

  /** Another device of the same person (same account, its own profile and cookies). */
  Person anotherDevice(Browser browser, TestServer server, int width, int height) {
    Person device = new Person(browser, server, name, width, height);
    device.email = email;
    device.signIn();
    return device;
  }

  // ------------------------------------------------------------------ finding things

  Locator id(String testId) {
    return page.getByTestId(testId);
  }

  /** A share card on this page whose title is exactly {@code title}. */
  Locator shareCard(String title) {
    return page.locator("[data-testid='share-card']")
        .filter(new Locator.FilterOptions().setHas(page.getByTestId("share-title").getByText(title, new Locator.GetByTextOptions().setExact(true))));
  }

  /** Goes to a route of the app without reloading the page (the tab keeps its WebSocket). */
  void go(String hash) {
    page.evaluate("h => { if (location.hash === h) window.dispatchEvent(new HashChangeEvent('hashchange')); else location.hash = h; }", hash);
    assertThat(page.locator("main[data-route='" + hash.replaceFirst("^#/", "").split("/")[0] + "']")).isVisible();
  }

  void expectTitle(String text) {
    assertThat(id("page-title")).hasText(text);
  }

  void expectConnection(String state) {
    assertThat(id("connection-state")).hasAttribute("data-state", state);
  }

  // ------------------------------------------------------------------ account

  /** Signs up through the sign-up form, keeps the recovery code it shows and confirms it; lands on Home. */
  Person signUp() {
    email = name.toLowerCase().replaceAll("[^a-z0-9]", "") + "-" + EMAILS.incrementAndGet() + "-" + System.nanoTime() + "@example.test";
    page.navigate("/#/signup");
    id("signup-name").fill(name);
    id("signup-email").fill(email);
    id("signup-password").fill(password);
    id("signup-password-confirm").fill(password);
    id("signup-submit").click();
    keepRecoveryCode();
    expectTitle("Hello, " + name);
    return this;
  }

  /** On the recovery code screen: remembers the code, ticks "I have saved it" and continues. */
  void keepRecoveryCode() {
    assertThat(id("recovery-code")).isVisible();
    recoveryCode = id("recovery-code").textContent().trim();
    assertTrue(recoveryCode.matches("[A-Z2-7]{5}(-[A-Z2-7]{5}){4}-[A-Z2-7]"), "a grouped recovery code: " + recoveryCode);
    id("recovery-confirm").check();
    id("recovery-continue").click();
  }

  /** Signs in through the sign-in form with {@link #email}; lands on Home. */
  Person signIn() {
    page.navigate("/#/signin");
    id("signin-email").fill(email);
    id("signin-password").fill(password);
    id("signin-submit").click();
    expectTitle("Hello, " + name);
    return this;
  }

  void signOut() {
    go("#/account");
    id("sign-out").click();
    expectTitle("Welcome back");
  }

  /** Every request body and URL the tab sent so far, joined. */
  String sentText() {
    synchronized (sent) {
      return String.join("\n", sent);
    }
  }

  /** Signs in as someone created over the API (saves the Argon2 work of the form flows). */
  Person signInAs(Api api) {
    email = api.email();
    return signIn();
  }

  // ------------------------------------------------------------------ flows

  /** Creates the joint space on the Partner page and answers the invite code shown. */
  String createJointSpace() {
    go("#/couple");
    id("couple-create").click();
    assertThat(id("invite-code")).isVisible();
    return id("invite-code").textContent().trim();
  }

  void join(String code) {
    go("#/couple");
    id("join-code").fill(code);
    id("join-submit").click();
    assertThat(id("couple-member")).hasCount(2);
  }

  /** Shares free words through the composer (title, text, intent), confirming the preview. */
  void shareFreeText(String title, String text, String intent) {
    go("#/share/free");
    id("share-free-text").fill(text);
    id("share-title").fill(title);
    id("share-intent-" + intent).check();
    id("share-preview").click();
    assertThat(id("share-preview-card")).isVisible();
    id("share-confirm").click();
    expectTitle("Your joint space");
    assertThat(shareCard(title)).isVisible();
  }

  Download download(Locator link) {
    return page.waitForDownload(link::click);
  }

  static String text(Download download) {
    try {
      return Files.readString(download.path(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ checks

  /** The tab's WebSockets that are still open (the app keeps exactly one per tab). */
  long openSockets() {
    return sockets.stream().filter(s -> !s.ws().isClosed()).count();
  }

  /**
   * Serious and critical axe-core violations of the page as it is now, with where they are. Runs the
   * axe-core bundled with com.deque.html.axe-core:playwright, injected once per page load and asked
   * for violations only: AxeBuilder re-injects half a megabyte and serializes every passing node on
   * each call, which made the suite several times slower on CI's two cores.
   */
  List<String> axeProblems() {
    if (!(Boolean) page.evaluate("() => typeof window.axe === 'object'")) page.evaluate(AXE_SOURCE);
    String json = (String) page.evaluate("""
        async () => JSON.stringify((await axe.run(document, { resultTypes: ['violations'] })).violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} ${n.failureSummary}`)))""");
    List<String> out = new ArrayList<>();
    new JsonArray(json).forEach(v -> out.add((String) v));
    return out;
  }

  /** True when the page is wider than the viewport (content cut off or sideways scrolling on a phone). */
  boolean overflowsSideways() {
    return (Boolean) page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1");
  }

  /**
   * Console errors, CSP violations and uncaught exceptions seen so far, and API answers that only a
   * broken client gets (the app checks input before sending, so a 400 or 403 means a bug).
   */
  void assertNoProblems() {
    List<String> all = new ArrayList<>(problems);
    for (Response r : apiResponses) {
      int status = r.status();
      if (status == 400 || status == 403 || status == 405 || status == 413 || status == 415 || status >= 500) {
        all.add(r.request().method() + " " + r.url() + " answered " + status);
      }
    }
    assertEquals(List.of(), all, name + "'s tab met problems");
  }

  /** Everything this tab received from the server: API response bodies and WebSocket frames. */
  String receivedText() {
    StringBuilder all = new StringBuilder();
    sockets.forEach(s -> all.append(s.text()));
    int unreadable = 0;
    for (Response r : apiResponses) {
      try {
        all.append(r.text()).append('\n');
      } catch (RuntimeException e) {
        // A 204 or a redirect has no body; anything else unreadable would weaken the check.
        if (r.status() != 204 && r.status() / 100 != 3) unreadable++;
      }
    }
    assertEquals(0, unreadable, "every API response body of " + name + "'s tab could be read");
    return all.toString();
  }

  /**
   * The browser keeps no user text: no web storage, no IndexedDB, no Cache Storage; only the
   * HttpOnly session cookie and, while signed in, the vault key sealed under the session key
   * (sessionStorage "bridgework.vault", an envelope that opens only with the live session).
   */
  void assertStoresNothing() {
    Object storage = page.evaluate("""
        async () => {
          const blob = sessionStorage.getItem('bridgework.vault');
          const envelope = blob !== null && /^\\{"v":1,"iv":"[A-Za-z0-9_-]{16}","ct":"[A-Za-z0-9_-]{64}"\\}$/.test(blob);
          // Care preferences (docs/SAFETY.md) are per device and never private: theme, auto-lock, tour seen.
          const care = /^bridgework\\.(theme|autoLockMinutes|welcomed\\.[A-Za-z0-9_-]+)$/;
          const local = Object.keys(localStorage).filter((k) => !care.test(k)).length;
          return {
            local,
            session: sessionStorage.length - (envelope ? 1 : 0),
            indexedDb: (await indexedDB.databases()).map((d) => d.name),
            caches: (await caches.keys()),
          };
        }""");
    assertEquals("{caches=[], indexedDb=[], local=0, session=0}", new java.util.TreeMap<>((java.util.Map<?, ?>) storage).toString(),
        name + "'s browser storage");
    for (Cookie c : context.cookies()) {
      assertTrue(c.httpOnly, "cookie " + c.name + " is HttpOnly");
      assertFalse(c.value.contains(" "), "cookie " + c.name + " holds an opaque token");
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
