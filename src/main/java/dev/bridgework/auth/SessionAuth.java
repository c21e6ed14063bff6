package dev.bridgework.auth;

import dev.bridgework.web.ApiException;
import dev.bridgework.web.ClientRequestInfo;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The session guard at the head of every protected route chain: reads the session cookie, checks it
 * against the store and puts the {@link Principal} on the context, or answers 401.
 */
public final class SessionAuth implements Handler<RoutingContext> {
  public static final String COOKIE = "bw_session";
  private final SessionStore sessions;

  public SessionAuth(SessionStore sessions) {
    this.sessions = sessions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticate(ctx.request()).onSuccess(principal -> {
      if (principal == null) {
        ctx.fail(ApiException.unauthenticated());
      } else {
        ctx.put(Principal.KEY, principal);
        ctx.next();
      }
    }).onFailure(ctx::fail);
  }

  /** The caller's principal, or null without a live session. Also used at the WebSocket handshake. */
  public Future<Principal> authenticate(HttpServerRequest request) {
    Cookie cookie = request.getCookie(COOKIE);
    if (cookie == null) return Future.succeededFuture(null);
    return sessions.find(cookie.getValue())
        .map(s -> s == null ? null : new Principal(s.userId(), s.key()));
  }

  static Cookie sessionCookie(HttpServerRequest request, String token, long maxAgeSeconds) {
    return Cookie.cookie(COOKIE, token).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(isSecure(request)).setMaxAge(maxAgeSeconds);
  }

  /** A year-long device cookie (see {@link DeviceCookies}); sent only to the API. */
  static Cookie deviceCookie(HttpServerRequest request, String value) {
    return Cookie.cookie(DeviceCookies.COOKIE, value).setPath("/api/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(isSecure(request)).setMaxAge(365L * 24 * 3600);
  }

  static Cookie clearedCookie(HttpServerRequest request) {
    return Cookie.cookie(COOKIE, "").setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(isSecure(request)).setMaxAge(0);
  }

  /** Secure when the browser reached us over HTTPS, directly or through a trusted proxy. */
  private static boolean isSecure(HttpServerRequest request) {
    return ClientRequestInfo.isSecure(request);
  }
}
