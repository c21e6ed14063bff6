package dev.bridgework.web;

import dev.bridgework.ops.Health;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * {@code GET /health} (the database: 200 UP, 503 DOWN), {@code GET /health/live} and
 * {@code GET /health/ready}; the checks themselves are {@link Health}'s, run by vertx-health-check.
 */
public final class HealthRoutes {
  private final Health health;

  public HealthRoutes(Health health) {
    this.health = health;
  }

  public void health(RoutingContext ctx) {
    answer(ctx, health::database);
  }

  public void live(RoutingContext ctx) {
    answer(ctx, health::live);
  }

  public void ready(RoutingContext ctx) {
    answer(ctx, health::ready);
  }

  private static void answer(RoutingContext ctx, Supplier<Future<JsonObject>> check) {
    check.get().onComplete(ar -> {
      JsonObject body = ar.result();
      ctx.response().setStatusCode(Health.isUp(body) ? 200 : 503).putHeader("Cache-Control", "no-store");
      ctx.json(body);
    });
  }
}
