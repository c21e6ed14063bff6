package dev.bridgework.held;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.web.Ids;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/held}: the caller's own held words (drafted answers, shares held for later); anyone else's are a 404. */
public final class HeldRoutes {
  private final Vertx vertx;
  private final HeldService held;
  private final SessionAuth sessionAuth;

  public HeldRoutes(Vertx vertx, HeldService held, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.held = held;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(this::listHeld);
    router.put("/:id").handler(this::saveHeld);
    router.get("/:id").handler(this::getHeld);
    router.delete("/:id").handler(this::deleteHeld);
    return router;
  }

  private void saveHeld(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    HeldInput input = HeldInput.fromJson(ctx);
    held.save(Principal.of(ctx).userId(), id, input)
        .onSuccess(saved -> {
          ctx.response().setStatusCode(saved.created() ? 201 : 200);
          ctx.json(saved.resource());
        })
        .onFailure(ctx::fail);
  }

  private void listHeld(RoutingContext ctx) {
    held.list(Principal.of(ctx).userId()).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void getHeld(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    held.item(Principal.of(ctx).userId(), id).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void deleteHeld(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    held.delete(Principal.of(ctx).userId(), id)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
