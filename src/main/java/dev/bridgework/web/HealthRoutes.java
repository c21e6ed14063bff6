package dev.bridgework.web;

import dev.bridgework.storage.Database;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /health}: 200 UP when the database answers a ping, 503 DOWN when it does not. */
public final class HealthRoutes {
  private final Database database;

  public HealthRoutes(Database database) {
    this.database = database;
  }

  public void health(RoutingContext ctx) {
    database.ping().onComplete(ar -> {
      String status = ar.succeeded() ? "UP" : "DOWN";
      ctx.response().setStatusCode(ar.succeeded() ? 200 : 503).putHeader("Cache-Control", "no-store");
      ctx.json(new JsonObject().put("status", status)
          .put("checks", new JsonArray().add(new JsonObject().put("id", "mongo").put("status", status))));
    });
  }
}
