package dev.bridgework.held;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.JsonBody;
import dev.bridgework.web.Times;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * {@code /api/held}: the caller's own held words (drafted answers, shares held for later) and when
 * to be reminded of them; anyone else's are a 404.
 */
public final class HeldRoutes {
  /** A reminder further ahead than this is surely a mistake (a wrong year), not a wish. */
  static final Duration MAX_AHEAD = Duration.ofDays(366);
  private static final Set<String> CHANNELS = Set.of("app", "email");

  private final Vertx vertx;
  private final HeldService held;
  private final SessionAuth sessionAuth;
  private final Clock clock;

  public HeldRoutes(Vertx vertx, HeldService held, SessionAuth sessionAuth, Clock clock) {
    this.vertx = vertx;
    this.held = held;
    this.sessionAuth = sessionAuth;
    this.clock = clock;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(this::listHeld);
    router.put("/:id").handler(this::saveHeld);
    router.get("/:id").handler(this::getHeld);
    router.delete("/:id").handler(this::deleteHeld);
    router.put("/:id/reminder").handler(this::remind);
    router.delete("/:id/reminder").handler(this::forget);
    return router;
  }

  private void remind(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    JsonBody body = JsonBody.read(ctx, Set.of("dueAt", "channel"), Set.of("heldId", "due"));
    Instant dueAt = Times.parse(body.string("dueAt", true, 1, 40), "dueAt");
    if (dueAt.isAfter(clock.instant().plus(MAX_AHEAD))) {
      throw ApiException.invalid("dueAt", "A reminder can be at most a year ahead.");
    }
    String channel = body.has("channel") ? body.oneOf("channel", true, CHANNELS) : "app";
    held.remind(Principal.of(ctx).userId(), id, dueAt, channel).onSuccess(saved -> {
      ctx.response().setStatusCode(saved.created() ? 201 : 200);
      ctx.json(saved.reminder().toJson());
    }).onFailure(ctx::fail);
  }

  private void forget(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    held.forget(Principal.of(ctx).userId(), id)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
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
