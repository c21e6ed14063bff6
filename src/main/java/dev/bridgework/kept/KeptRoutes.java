package dev.bridgework.kept;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.web.Ids;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/kept}: the caller's own kept words; anyone else's are a 404. */
public final class KeptRoutes {
  private final Vertx vertx;
  private final KeptService kept;
  private final SessionAuth sessionAuth;

  public KeptRoutes(Vertx vertx, KeptService kept, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.kept = kept;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(this::listKept);
    router.put("/:id").handler(this::saveKept);
    router.get("/:id").handler(this::getKept);
    router.delete("/:id").handler(this::deleteKept);
    return router;
  }

  private void saveKept(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    KeptInput input = KeptInput.fromJson(ctx);
    kept.save(Principal.of(ctx).userId(), id, input)
        .onSuccess(saved -> {
          ctx.response().setStatusCode(saved.created() ? 201 : 200);
          ctx.json(saved.resource());
        })
        .onFailure(ctx::fail);
  }

  private void listKept(RoutingContext ctx) {
    kept.list(Principal.of(ctx).userId()).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void getKept(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    kept.item(Principal.of(ctx).userId(), id).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void deleteKept(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    kept.delete(Principal.of(ctx).userId(), id)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
