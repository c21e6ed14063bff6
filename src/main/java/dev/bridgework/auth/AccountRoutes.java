package dev.bridgework.auth;

import dev.bridgework.web.ApiException;
import dev.bridgework.web.JsonBody;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/** {@code /api/me}: who am I, my data export, and deleting my account. */
public final class AccountRoutes {
  private final Vertx vertx;
  private final AuthService auth;
  private final SessionAuth sessionAuth;
  private final AccountHooks hooks;

  public AccountRoutes(Vertx vertx, AuthService auth, SessionAuth sessionAuth, AccountHooks hooks) {
    this.vertx = vertx;
    this.auth = auth;
    this.sessionAuth = sessionAuth;
    this.hooks = hooks;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(this::me);
    router.get("/export").handler(this::export);
    router.delete("/").handler(this::deleteAccount);
    return router;
  }

  private void me(RoutingContext ctx) {
    String userId = Principal.of(ctx).userId();
    auth.user(userId).compose(user -> {
      if (user == null) throw ApiException.unauthenticated();
      return hooks.coupleOf(userId).map(couple -> new JsonObject().put("user", user.toJson()).put("couple", couple));
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void export(RoutingContext ctx) {
    String userId = Principal.of(ctx).userId();
    auth.user(userId).compose(user -> {
      if (user == null) throw ApiException.unauthenticated();
      return hooks.exportOf(userId).map(data -> new JsonObject().put("user", user.toJson()).mergeIn(data));
    }).onSuccess(data -> ctx.response()
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"bridgework-export.json\"")
        .end(data.encodePrettily())).onFailure(ctx::fail);
  }

  private void deleteAccount(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("password"), Set.of());
    String password = body.string("password", true, 1, 1024);
    String userId = Principal.of(ctx).userId();
    auth.confirmPassword(userId, password)
        .compose(user -> hooks.eraseAll(userId))
        .compose(v -> auth.deleteUser(userId))
        .onSuccess(v -> {
          ctx.response().addCookie(SessionAuth.clearedCookie(ctx.request()));
          ctx.response().setStatusCode(204).end();
        }).onFailure(ctx::fail);
  }
}
