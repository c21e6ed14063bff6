package dev.bridgework.ui;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Makes a page's first request to a URL slow on purpose: the server's answer is fetched when the
 * page asks (so it is what was stored then) and only handed to the page when the test says so.
 * With it a test can let a live event overtake the answer, the race a slow network produces.
 * Later requests to the URL go through untouched.
 */
final class HeldAnswer {
  private final Page page;
  private Route route;
  private APIResponse answer;

  private HeldAnswer(Page page) {
    this.page = page;
  }

  /** Holds the first request of {@code page} whose URL matches; install before the page asks. */
  static HeldAnswer holdFirst(Page page, Predicate<String> url) {
    HeldAnswer held = new HeldAnswer(page);
    page.route(url, r -> {
      if (held.route != null) {
        r.resume();
        return;
      }
      held.answer = r.fetch();
      held.route = r;
    });
    return held;
  }

  /** Waits until the page has asked; answers what the server said then. */
  APIResponse awaitAsked() {
    page.waitForCondition(() -> route != null);
    return answer;
  }

  /** Hands the page the answer from when it asked. */
  void release() {
    route.fulfill(new Route.FulfillOptions().setResponse(answer));
  }

  /** Becomes true when a WebSocket the page opens from now on receives an event of this kind. */
  static AtomicBoolean eventSeen(Page page, String kind) {
    AtomicBoolean seen = new AtomicBoolean();
    String needle = "\"kind\":\"" + kind + "\"";
    page.onWebSocket(ws -> ws.onFrameReceived(frame -> {
      if (frame.text() != null && frame.text().contains(needle)) seen.set(true);
    }));
    return seen;
  }
}
