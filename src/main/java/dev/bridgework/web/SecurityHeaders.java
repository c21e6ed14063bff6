package dev.bridgework.web;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every response; the CSP has no 'unsafe-inline' so injected markup cannot run. HSTS goes
 * on every response to a secure request (TLS here, or HTTPS at a trusted proxy, as
 * {@link ClientRequestInfo} decides); browsers ignore it over plain HTTP anyway (RFC 6797 §8.1).
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
  /** One year, the usual minimum; no includeSubDomains, since other hosts of the domain are not ours. */
  static final String HSTS = "max-age=31536000";

  static final String COUNSELOR_PAGE = "/counselor.html";

  static final String CSP = String.join("; ",
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'");

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap headers = ctx.response().headers();
    headers.set("Content-Security-Policy", CSP);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (ClientRequestInfo.isSecure(ctx)) headers.set("Strict-Transport-Security", HSTS);
    String path = ctx.request().path();
    if (path.startsWith("/api/")) headers.set("Cache-Control", "no-store");
    // The counselor's page (docs/COUNSELOR.md) is reached by a secret link: never indexed, never cached.
    if (path.equals(COUNSELOR_PAGE)) {
      headers.set("X-Robots-Tag", "noindex, nofollow, noarchive");
      headers.set("Cache-Control", "no-store");
    }
    ctx.next();
  }
}
