package dev.bridgework.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.List;
import java.util.function.Supplier;

/**
 * Serves the API and the web app. Feature routers are mounted under their prefixes; the WebSocket
 * upgrade is routed before the body handler so its request is never read as a body.
 */
public final class HttpVerticle extends VerticleBase {
  public static final int MAX_BODY = 256 * 1024;

  private final String host;
  private final int port;
  private final OriginGuard originGuard;
  private final HealthRoutes health;
  private final Handler<RoutingContext> webSocket;
  private final Supplier<List<FeatureRoutes>> features;
  private final String webroot;
  private HttpServer server;

  public HttpVerticle(String host, int port, OriginGuard originGuard, HealthRoutes health,
                      Handler<RoutingContext> webSocket, Supplier<List<FeatureRoutes>> features, String webroot) {
    this.host = host;
    this.port = port;
    this.originGuard = originGuard;
    this.health = health;
    this.webSocket = webSocket;
    this.features = features;
    this.webroot = webroot;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(new SecurityHeaders());
    router.route().handler(originGuard);
    router.get("/health").handler(health::health);
    if (webSocket != null) router.get("/api/ws").handler(webSocket);
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
    server = vertx.createHttpServer(options).requestHandler(router);
    return server.listen();
  }

  /** 415 for a body that is not JSON; an absent body is fine (it reads as {}). */
  private void requireJson(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    if (m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH || m == HttpMethod.DELETE) {
      String type = ctx.request().getHeader("Content-Type");
      String length = ctx.request().getHeader("Content-Length");
      boolean hasBody = (length != null && !"0".equals(length.trim())) || ctx.request().getHeader("Transfer-Encoding") != null;
      if (hasBody && (type == null || !type.toLowerCase().trim().startsWith("application/json"))) {
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

  public int actualPort() {
    return server.actualPort();
  }
}
