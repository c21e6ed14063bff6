package dev.bridgework.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.TimeoutHandler;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.function.Supplier;

/**
 * Serves the API and the web app. Feature routers are mounted under their prefixes; the WebSocket
 * upgrade is routed before the body handler so its request is never read as a body.
 */
public final class HttpVerticle extends VerticleBase {
  public static final int MAX_BODY = 256 * 1024;
  /** The routes this verticle serves itself, besides the feature routers (Application.allRoutes()). */
  public static final List<String> OWN_ROUTES = List.of(
      "GET /health", "GET /health/live", "GET /health/ready", "GET /api/ws", "GET /api/openapi.json");

  private final String host;
  private final int port;
  private final PemKeyCertOptions tls;
  private final ClientRequestInfo clientInfo;
  private final OriginGuard originGuard;
  private final HealthRoutes health;
  private final Handler<RoutingContext> webSocket;
  private final Supplier<List<FeatureRoutes>> features;
  private final String webroot;
  private final long requestTimeoutMs;
  private HttpServer server;

  /** {@code tls}: the certificate and key to serve HTTPS with, or null for plain HTTP. */
  public HttpVerticle(String host, int port, PemKeyCertOptions tls, ClientRequestInfo clientInfo, OriginGuard originGuard,
                      HealthRoutes health, Handler<RoutingContext> webSocket, Supplier<List<FeatureRoutes>> features,
                      String webroot, java.time.Duration requestTimeout) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.clientInfo = clientInfo;
    this.originGuard = originGuard;
    this.health = health;
    this.webSocket = webSocket;
    this.features = features;
    this.webroot = webroot;
    this.requestTimeoutMs = requestTimeout.toMillis();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // First: everything after it asks ClientRequestInfo whether the request is secure and whose it is.
    router.route().handler(clientInfo);
    router.route().handler(new SecurityHeaders());
    router.route().handler(originGuard);
    router.get("/health").handler(health::health);
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    if (webSocket != null) router.get("/api/ws").handler(webSocket);
    // No API request waits longer than this: 503 with Retry-After (the database timeouts normally
    // answer well before; this catches anything else that hangs).
    router.route("/api/*").handler(TimeoutHandler.create(requestTimeoutMs, 503));
    router.get("/api/openapi.json").handler(OpenApiRoute.create(vertx));
    router.route("/api/*").handler(HttpVerticle::requireKnownQuery);
    router.route("/api/*").handler(this::requireJson);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
    for (FeatureRoutes feature : features.get()) {
      router.route(feature.prefix() + "*").subRouter(feature.router());
    }
    router.route("/api/*").handler(ctx -> ctx.fail(404));
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(StaticHandler.create(webroot).setCachingEnabled(false)
        .setIndexPage("index.html").setDefaultContentEncoding("UTF-8"));
    router.route().failureHandler(new ErrorHandler());
    router.errorHandler(404, ctx -> ErrorHandler.send(ctx, ApiException.notFound()));
    router.errorHandler(405, ctx -> ErrorHandler.send(ctx, ErrorHandler.fromStatus(405, ctx)));
    router.errorHandler(500, new ErrorHandler());

    HttpServerOptions options = new HttpServerOptions()
        .setHost(host).setPort(port)
        .setMaxWebSocketFrameSize(64 * 1024)
        .setMaxWebSocketMessageSize(64 * 1024)
        .setCompressionSupported(true);
    if (tls != null) options.setSsl(true).setKeyCertOptions(tls);
    server = vertx.createHttpServer(options).requestHandler(router).invalidRequestHandler(HttpVerticle::invalidRequest);
    return server.listen();
  }

  /**
   * A request Netty could not even parse (a space in the path, a broken request line, a URI or
   * headers too long) never reaches the router: answer it in the contract's format anyway, then
   * close the connection, since nothing after it on the wire can be trusted.
   */
  static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    ApiException error;
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      error = new ApiException(414, "too_large", "The address is too long.");
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      error = new ApiException(431, "too_large", "The request headers are too large.");
    } else {
      error = new ApiException(400, "invalid", "The request could not be read.");
    }
    io.vertx.core.http.HttpServerResponse response = request.response();
    response.setStatusCode(error.status())
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Content-Security-Policy", SecurityHeaders.CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Connection", "close");
    if (request.isSSL()) response.putHeader("Strict-Transport-Security", SecurityHeaders.HSTS);
    response.end(error.toJson().encode()).onComplete(done -> request.connection().close());
  }

  /** The query parameters each route understands; any other one is a 400 naming it. */
  private static final Map<Pattern, Set<String>> QUERY_PARAMS = Map.of(
      Pattern.compile("^/api/reflections/?$"), Set.of("status", "exerciseId", "limit", "before"),
      Pattern.compile("^/api/checkins/?$"), Set.of("from", "to"),
      Pattern.compile("^/api/reviews/[^/]+/brief/?$"), Set.of("format"),
      Pattern.compile("^/api/unsubscribe/?$"), Set.of("token"));

  /**
   * Unknown query parameters are refused like unknown body fields, so a filter such as
   * {@code status[$ne]=x} is a clear error rather than silently ignored.
   */
  private static void requireKnownQuery(RoutingContext ctx) {
    if (ctx.request().query() == null || ctx.request().query().isEmpty()) {
      ctx.next();
      return;
    }
    String path = ctx.request().path();
    Set<String> allowed = QUERY_PARAMS.entrySet().stream().filter(e -> e.getKey().matcher(path).matches())
        .map(Map.Entry::getValue).findFirst().orElse(Set.of());
    for (String name : ctx.queryParams().names()) {
      if (!allowed.contains(name)) {
        ctx.fail(ApiException.invalid(name, "Unknown query parameter '" + name + "'."));
        return;
      }
    }
    ctx.next();
  }

  /**
   * 415 for a body that is not JSON, whatever the method (a GET with a form or multipart body used
   * to reach the body parser and end in 500); an absent body is fine (it reads as {}), and a JSON
   * body on a method whose handler reads none is ignored.
   */
  private void requireJson(RoutingContext ctx) {
    // RFC 8058 one-click unsubscribe posts a form ("List-Unsubscribe=One-Click"), not JSON.
    if (!ctx.request().path().startsWith("/api/unsubscribe")) {
      String type = ctx.request().getHeader("Content-Type");
      String length = ctx.request().getHeader("Content-Length");
      boolean hasBody = (length != null && !"0".equals(length.trim())) || ctx.request().getHeader("Transfer-Encoding") != null;
      if (hasBody && !isJson(type)) {
        ctx.fail(415);
        return;
      }
      if (length != null) {
        try {
          if (Long.parseLong(length.trim()) > MAX_BODY) {
            ctx.fail(413);
            return;
          }
        } catch (NumberFormatException e) {
          ctx.fail(400);
          return;
        }
      }
    }
    ctx.next();
  }

  /** {@code application/json}, with parameters or none; not {@code application/jsonx} or {@code text/json}. */
  static boolean isJson(String contentType) {
    if (contentType == null) return false;
    int semicolon = contentType.indexOf(';');
    String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return mediaType.equalsIgnoreCase("application/json");
  }

  public int actualPort() {
    return server.actualPort();
  }
}
