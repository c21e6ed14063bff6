package dev.bridgework.reflection;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.web.Ids;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/reflections}: the caller's own reflections; anyone else's is a 404. */
public final class ReflectionRoutes {
  private final Vertx vertx;
  private final ReflectionService reflections;
  private final SessionAuth sessionAuth;

  public ReflectionRoutes(Vertx vertx, ReflectionService reflections, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.reflections = reflections;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(this::listReflections);
    router.put("/:id").handler(this::saveReflection);
    router.get("/:id").handler(this::getReflection);
    router.delete("/:id").handler(this::deleteReflection);
    return router;
  }

  private void saveReflection(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    ReflectionInput input = ReflectionInput.fromJson(ctx, reflections.catalog());
    reflections.saveReflection(Principal.of(ctx).userId(), id, input).onSuccess(saved -> {
      ctx.response().setStatusCode(saved.created() ? 201 : 200);
      ctx.json(saved.resource());
    }).onFailure(ctx::fail);
  }

  private void listReflections(RoutingContext ctx) {
    ReflectionQuery query = ReflectionQuery.fromRequest(ctx, reflections.catalog());
    reflections.listReflections(Principal.of(ctx).userId(), query).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void getReflection(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    reflections.reflection(Principal.of(ctx).userId(), id).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void deleteReflection(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    reflections.deleteReflection(Principal.of(ctx).userId(), id)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
