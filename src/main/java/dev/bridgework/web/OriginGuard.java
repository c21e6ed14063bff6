package dev.bridgework.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * API.md: a state-changing request or a WebSocket upgrade whose {@code Origin} is present and not
 * allowed is refused with 403 {@code forbidden_origin}. Allowed: the configured origins plus the
 * server's own origin as the client sees it (scheme + host from {@link ClientRequestInfo}, so behind
 * a trusted proxy that is {@code https://} + the forwarded host). Comparison is exact, so look-alikes such as
 * {@code http://localhost:8080.evil.test} and {@code null} are refused.
 */
public final class OriginGuard implements Handler<RoutingContext> {
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private final List<String> allowed;

  public OriginGuard(List<String> allowed) {
    this.allowed = allowed.stream().map(OriginGuard::normalize).toList();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    if ((!SAFE.contains(request.method()) || upgrade) && !isAllowed(request)) {
      ErrorHandler.send(ctx, new ApiException(403, "forbidden_origin", "This request came from a page that is not allowed."));
      return;
    }
    ctx.next();
  }

  public boolean isAllowed(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null) return true;
    String normalized = normalize(origin);
    if (allowed.contains(normalized)) return true;
    String own = ClientRequestInfo.origin(request);
    return own != null && normalize(own).equals(normalized);
  }

  private static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    if (o.endsWith("/")) o = o.substring(0, o.length() - 1);
    if (o.startsWith("http://") && o.endsWith(":80")) o = o.substring(0, o.length() - 3);
    if (o.startsWith("https://") && o.endsWith(":443")) o = o.substring(0, o.length() - 4);
    return o;
  }
}
