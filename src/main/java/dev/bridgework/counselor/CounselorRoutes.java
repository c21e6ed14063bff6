package dev.bridgework.counselor;

import dev.bridgework.realtime.Stream;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.ClientRequestInfo;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /api/counselor} (docs/COUNSELOR.md), the counselor's side: no account and no cookie, only
 * the link's secret in {@code Authorization: Bearer <token>} (it reaches the page in the URL
 * fragment, which browsers never send, so it is in no server log and no Referer).
 *
 * <p>Chain: {@code throttle → token → handler}. Each request is counted against its client
 * address before its token is looked at, and refused with 429 in the same atomic step once the
 * address is over the limit ({@code Throttle.attempt}); a request whose token opens a grant, or
 * that fails for another reason than its token, is given back. An unknown, malformed, pending,
 * revoked or expired token is the same 404 {@code not_found} and stays counted. Every answer says {@code noindex} and is
 * never cached.
 */
public final class CounselorRoutes {
  private static final String ACCESS = "bw.counselor.access";
  static final String ROBOTS = "noindex, nofollow, noarchive";
  /** A live channel is closed after this long; the page reconnects (and its token is checked again). */
  static final long CHANNEL_LIFETIME_MS = 10 * 60_000L;
  /** Keeps proxies from closing an idle channel, and re-checks the grant. */
  static final long HEARTBEAT_MS = 15_000L;

  private final Vertx vertx;
  private final CounselorService counselors;

  public CounselorRoutes(Vertx vertx, CounselorService counselors) {
    this.vertx = vertx;
    this.counselors = counselors;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(CounselorRoutes::noIndex);
    router.get("/view").handler(this::throttle).handler(this::token).handler(this::view);
    router.get("/brief.pdf").handler(this::throttle).handler(this::token).handler(this::pdf);
    router.get("/events").handler(this::throttle).handler(this::token).handler(this::events);
    return router;
  }

  private static void noIndex(RoutingContext ctx) {
    ctx.response().putHeader("X-Robots-Tag", ROBOTS).putHeader("Cache-Control", "no-store");
    ctx.next();
  }

  private void throttle(RoutingContext ctx) {
    counselors.attempt(ClientRequestInfo.clientAddress(ctx)).onSuccess(wait -> {
      if (wait > 0) ctx.fail(ApiException.rateLimited(wait));
      else ctx.next();
    }).onFailure(ctx::fail);
  }

  private void token(RoutingContext ctx) {
    counselors.access(bearer(ctx)).onSuccess(access -> {
      ctx.put(ACCESS, access);
      counselors.giveBack(ClientRequestInfo.clientAddress(ctx)).onComplete(v -> ctx.next());
    }).onFailure(e -> {
      if (e instanceof ApiException api && api.status() == 404) {
        counselors.wrongToken(ClientRequestInfo.clientAddress(ctx)).onComplete(v -> ctx.fail(e));
      } else {
        counselors.giveBack(ClientRequestInfo.clientAddress(ctx)).onComplete(v -> ctx.fail(e));
      }
    });
  }

  /** The token of {@code Authorization: Bearer <token>}, or null. */
  static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    return header.substring(7).trim();
  }

  private static CounselorService.Access access(RoutingContext ctx) {
    return ctx.get(ACCESS);
  }

  private void view(RoutingContext ctx) {
    counselors.view(access(ctx), ctx.request().getHeader("User-Agent")).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void pdf(RoutingContext ctx) {
    counselors.pdf(access(ctx), ctx.request().getHeader("User-Agent")).onSuccess(file -> ctx.response()
        .putHeader("Content-Type", file.contentType())
        .putHeader("Content-Disposition", "attachment; filename=\"" + file.fileName() + "\"")
        .end(file.body())).onFailure(ctx::fail);
  }

  /**
   * The page's live channel: a server-sent-event stream, read by the page with {@code fetch} (so
   * the token travels in a header, which {@code EventSource} cannot send). It carries no content at
   * all, only {@code changed} when the couple's shares or reviews changed and {@code ended} when
   * the grant stopped working; the page then reads {@code /view} again, which checks the token
   * afresh. It follows the couple's event-bus address, so it works on any node of a cluster.
   */
  private void events(RoutingContext ctx) {
    CounselorService.Access access = access(ctx);
    String grantId = access.grant().id();
    if (!counselors.openChannel(grantId)) {
      ctx.fail(ApiException.rateLimited(30));
      return;
    }
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        // Compression would hold small events back in its buffer.
        .putHeader("Content-Encoding", "identity")
        .putHeader("X-Accel-Buffering", "no");
    AtomicBoolean done = new AtomicBoolean();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Stream.couple(access.couple().id()).address());
    long[] timers = new long[2];
    Handler<String> finish = last -> {
      if (!done.compareAndSet(false, true)) return;
      consumer.unregister();
      vertx.cancelTimer(timers[0]);
      vertx.cancelTimer(timers[1]);
      counselors.closeChannel(grantId);
      if (last != null && !response.closed() && !response.ended()) response.end(last);
    };
    Runnable recheck = () -> counselors.access(bearer(ctx)).onComplete(ar -> {
      if (ar.failed() || !ar.result().grant().id().equals(grantId)) finish.handle(sse("ended"));
    });
    consumer.handler(message -> {
      String kind = message.body().getString("kind", "");
      if (kind.equals("couple.dissolved")) finish.handle(sse("ended"));
      else if (kind.startsWith("counselor.") && !kind.equals(CounselorService.OPENED)) recheck.run();
      else if (kind.startsWith("share.") || kind.startsWith("review.") || kind.startsWith("response.")) write(response, sse("changed"));
    });
    timers[0] = vertx.setPeriodic(HEARTBEAT_MS, id -> {
      write(response, ": ping\n\n");
      recheck.run();
    });
    timers[1] = vertx.setTimer(CHANNEL_LIFETIME_MS, id -> finish.handle(sse("reconnect")));
    response.closeHandler(v -> finish.handle(null));
    Future<Void> ready = consumer.completion();
    ready.onComplete(v -> write(response, "retry: 5000\n\n" + sse("ready")));
  }

  private static String sse(String event) {
    return "event: " + event + "\ndata: {}\n\n";
  }

  private static void write(HttpServerResponse response, String text) {
    if (!response.closed() && !response.ended()) response.write(text);
  }
}
