package dev.bridgework.checkin;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.Times;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.List;

/** {@code /api/checkins}: the caller's own check-ins. */
public final class CheckinRoutes {
  private final Vertx vertx;
  private final CheckinService checkins;
  private final SessionAuth sessionAuth;

  public CheckinRoutes(Vertx vertx, CheckinService checkins, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.checkins = checkins;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(this::listCheckins);
    router.put("/:id").handler(this::saveCheckin);
    router.get("/:id").handler(this::getCheckin);
    router.delete("/:id").handler(this::deleteCheckin);
    return router;
  }

  private void saveCheckin(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    CheckinInput input = CheckinInput.fromJson(ctx);
    checkins.saveCheckin(Principal.of(ctx).userId(), id, input).onSuccess(saved -> {
      ctx.response().setStatusCode(saved.created() ? 201 : 200);
      ctx.json(saved.resource());
    }).onFailure(ctx::fail);
  }

  private void getCheckin(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    checkins.checkin(Principal.of(ctx).userId(), id).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void deleteCheckin(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    checkins.deleteCheckin(Principal.of(ctx).userId(), id)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void listCheckins(RoutingContext ctx) {
    Instant from = instant(ctx, "from");
    Instant to = instant(ctx, "to");
    checkins.listCheckins(Principal.of(ctx).userId(), from, to).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static Instant instant(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty()) return null;
    if (values.size() > 1) throw ApiException.invalid(name, "'" + name + "' may be given once.");
    return Times.parse(values.get(0), name);
  }
}
