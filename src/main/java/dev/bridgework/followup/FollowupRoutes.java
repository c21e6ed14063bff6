package dev.bridgework.followup;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.web.Ids;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/followups}: the caller's own follow-ups and offers to themselves; anyone else's are a 404. */
public final class FollowupRoutes {
  private final Vertx vertx;
  private final FollowupService followups;
  private final SessionAuth sessionAuth;

  public FollowupRoutes(Vertx vertx, FollowupService followups, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.followups = followups;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(this::listFollowups);
    router.put("/:id").handler(this::saveFollowup);
    router.get("/:id").handler(this::getFollowup);
    router.delete("/:id").handler(this::deleteFollowup);
    return router;
  }

  private void saveFollowup(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    FollowupInput input = FollowupInput.fromJson(ctx);
    followups.save(Principal.of(ctx).userId(), id, input)
        .onSuccess(saved -> {
          ctx.response().setStatusCode(saved.created() ? 201 : 200);
          ctx.json(saved.resource());
        })
        .onFailure(ctx::fail);
  }

  private void listFollowups(RoutingContext ctx) {
    followups.list(Principal.of(ctx).userId()).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void getFollowup(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    followups.item(Principal.of(ctx).userId(), id).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void deleteFollowup(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    followups.delete(Principal.of(ctx).userId(), id)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
