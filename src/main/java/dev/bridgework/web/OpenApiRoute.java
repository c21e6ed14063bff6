package dev.bridgework.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/openapi.json} (no session): the OpenAPI 3.1 document of every route, from the classpath. */
final class OpenApiRoute {
  static final String RESOURCE = "openapi.json";

  private OpenApiRoute() {}

  static Handler<RoutingContext> create(Vertx vertx) {
    // Read once, the first time it is asked for; the file is in the jar and never changes while running.
    Buffer[] cached = new Buffer[1];
    return ctx -> {
      if (cached[0] != null) {
        send(ctx, cached[0]);
        return;
      }
      vertx.fileSystem().readFile(RESOURCE).onSuccess(doc -> {
        cached[0] = doc;
        send(ctx, doc);
      }).onFailure(ctx::fail);
    };
  }

  private static void send(RoutingContext ctx, Buffer doc) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(doc);
  }
}
