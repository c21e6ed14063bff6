package dev.bridgework.couple;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.web.JsonBody;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/** {@code /api/couple}: create the joint space, invite, join, look, leave. */
public final class CoupleRoutes {
  private final Vertx vertx;
  private final CoupleService couples;
  private final SessionAuth sessionAuth;

  public CoupleRoutes(Vertx vertx, CoupleService couples, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.couples = couples;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.post("/").handler(this::createCouple);
    router.post("/invite").handler(this::createInvite);
    router.post("/join").handler(this::joinCouple);
    router.get("/").handler(this::showCouple);
    router.delete("/").handler(this::leaveCouple);
    return router;
  }

  private void createCouple(RoutingContext ctx) {
    JsonBody.read(ctx, Set.of(), Set.of());
    couples.create(Principal.of(ctx).userId())
        .onSuccess(body -> created(ctx, body))
        .onFailure(ctx::fail);
  }

  private void createInvite(RoutingContext ctx) {
    JsonBody.read(ctx, Set.of(), Set.of());
    couples.newInvite(Principal.of(ctx).userId())
        .onSuccess(body -> created(ctx, body))
        .onFailure(ctx::fail);
  }

  private void joinCouple(RoutingContext ctx) {
    String code = JsonBody.read(ctx, Set.of("code"), Set.of()).string("code", true, 1, 100);
    couples.join(Principal.of(ctx).userId(), code, dev.bridgework.web.ClientRequestInfo.clientAddress(ctx))
        .onSuccess(couple -> ctx.json(new JsonObject().put("couple", couple.toJson())))
        .onFailure(ctx::fail);
  }

  private void showCouple(RoutingContext ctx) {
    couples.coupleOf(Principal.of(ctx).userId()).onSuccess(couple -> {
      if (couple == null) ctx.fail(CoupleService.notPaired());
      else ctx.json(new JsonObject().put("couple", couple.toJson()));
    }).onFailure(ctx::fail);
  }

  private void leaveCouple(RoutingContext ctx) {
    JsonBody.read(ctx, Set.of(), Set.of());
    couples.dissolve(Principal.of(ctx).userId())
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private static void created(RoutingContext ctx, JsonObject body) {
    ctx.response().setStatusCode(201);
    ctx.json(body);
  }
}
