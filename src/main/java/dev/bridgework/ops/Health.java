package dev.bridgework.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.ClusterHealthCheck;

import java.util.function.Supplier;

/**
 * Liveness and readiness through {@code vertx-health-check}:
 * <ul>
 *   <li>{@code database}: the {@code mongo} check alone, a ping that must answer within two seconds
 *   ({@code GET /health}, exactly as the contract has it);</li>
 *   <li>{@code live}: the event loop answers (a process that can run this is alive);</li>
 *   <li>{@code ready}: {@code mongo}, {@code cluster} (this node is a member, when clustered) and
 *   {@code accepting}, which goes DOWN while the server drains on shutdown.</li>
 * </ul>
 */
public final class Health {
  static final long TIMEOUT_MS = 2000;

  private final HealthChecks database;
  private final HealthChecks live;
  private final HealthChecks ready;
  private volatile boolean draining;

  /** {@code ping}: the database round trip (it fails or times out when the database is unreachable). */
  public Health(Vertx vertx, Supplier<Future<Void>> ping) {
    this.database = HealthChecks.create(vertx).register("mongo", TIMEOUT_MS, p -> answer(ping.get(), p));
    this.live = HealthChecks.create(vertx).register("eventloop", TIMEOUT_MS, p -> p.complete(Status.OK()));
    this.ready = HealthChecks.create(vertx).register("mongo", TIMEOUT_MS, p -> answer(ping.get(), p))
        .register("accepting", TIMEOUT_MS, p -> p.complete(draining ? Status.KO() : Status.OK()));
    if (vertx.isClustered()) ready.register("cluster", TIMEOUT_MS, ClusterHealthCheck.createProcedure(vertx));
  }

  private static void answer(Future<Void> check, io.vertx.core.Promise<Status> p) {
    check.onComplete(ar -> p.complete(ar.succeeded() ? Status.OK() : Status.KO()));
  }

  /** From now on readiness answers DOWN (the server is shutting down). */
  public void drain() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  public Future<JsonObject> database() {
    return render(database);
  }

  public Future<JsonObject> live() {
    return render(live);
  }

  public Future<JsonObject> ready() {
    return render(ready);
  }

  /** {@code {"status":"UP"|"DOWN","checks":[{"id","status"}]}}: ids and states only, never a failure's message. */
  private static Future<JsonObject> render(HealthChecks checks) {
    return checks.checkStatus().map(Health::toJson)
        .otherwise(e -> new JsonObject().put("status", "DOWN").put("checks", new JsonArray()));
  }

  static JsonObject toJson(CheckResult result) {
    JsonArray list = new JsonArray();
    if (result.getChecks() != null) {
      for (CheckResult c : result.getChecks()) list.add(new JsonObject().put("id", c.getId()).put("status", state(c)));
    }
    return new JsonObject().put("status", state(result)).put("checks", list);
  }

  private static String state(CheckResult r) {
    return Boolean.TRUE.equals(r.getUp()) ? "UP" : "DOWN";
  }

  public static boolean isUp(JsonObject rendered) {
    return "UP".equals(rendered.getString("status"));
  }
}
