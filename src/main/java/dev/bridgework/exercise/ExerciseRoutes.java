package dev.bridgework.exercise;

import dev.bridgework.auth.SessionAuth;
import dev.bridgework.web.ApiException;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/exercises}: the catalog, for signed-in people only (it is part of the private space). */
public final class ExerciseRoutes {
  private final Vertx vertx;
  private final ExerciseCatalog catalog;
  private final SessionAuth sessionAuth;

  public ExerciseRoutes(Vertx vertx, ExerciseCatalog catalog, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(this::listExercises);
    router.get("/:id").handler(this::getExercise);
    return router;
  }

  private void listExercises(RoutingContext ctx) {
    ctx.json(catalog.toJson());
  }

  private void getExercise(RoutingContext ctx) {
    ctx.json(catalog.find(ctx.pathParam("id")).orElseThrow(ApiException::notFound).toJson());
  }
}
