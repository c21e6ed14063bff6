package dev.bridgework.parts;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.web.Ids;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/parts}: the caller's own parts map; anyone else's part is a 404. */
public final class PartsRoutes {
  private final Vertx vertx;
  private final PartsService parts;
  private final SessionAuth sessionAuth;

  public PartsRoutes(Vertx vertx, PartsService parts, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.parts = parts;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(this::listParts);
    router.put("/:id").handler(this::savePart);
    router.get("/:id").handler(this::getPart);
    router.delete("/:id").handler(this::deletePart);
    return router;
  }

  private void savePart(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    PartInput input = PartInput.fromJson(ctx);
    parts.savePart(Principal.of(ctx).userId(), id, input)
        .onSuccess(saved -> {
          ctx.response().setStatusCode(saved.created() ? 201 : 200);
          ctx.json(saved.resource());
        })
        .onFailure(ctx::fail);
  }

  private void listParts(RoutingContext ctx) {
    parts.listParts(Principal.of(ctx).userId()).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void getPart(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    parts.part(Principal.of(ctx).userId(), id).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void deletePart(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    parts.deletePart(Principal.of(ctx).userId(), id)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
