package dev.bridgework.auth;

import dev.bridgework.web.ApiException;
import dev.bridgework.web.JsonBody;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * {@code /api/me}: who am I, my keys, my data export, what the server still holds readable for me,
 * the notice when my partner left, and deleting my account.
 */
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
    router.get("/session-key").handler(this::sessionKey);
    router.put("/keys").handler(this::changeKeys);
    router.get("/export").handler(this::export);
    router.get("/unsealed").handler(this::unsealed);
    router.post("/unsealed/finish").handler(this::finishSealing);
    router.delete("/ending").handler(this::dismissEnding);
    router.delete("/").handler(this::deleteAccount);
    return router;
  }

  private Future<User> caller(RoutingContext ctx) {
    return auth.user(Principal.of(ctx).userId()).map(user -> {
      if (user == null) throw ApiException.unauthenticated();
      return user;
    });
  }

  private void me(RoutingContext ctx) {
    caller(ctx).compose(user -> hooks.coupleOf(user.id()).map(couple -> new JsonObject()
            .put("user", user.toJson()).put("couple", couple).put("vault", user.vault())
            .put("unsealed", user.unsealed() || user.isLegacy()).put("ending", user.ending())))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void sessionKey(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(SessionAuth.COOKIE);
    ctx.json(new JsonObject().put("sessionKey", AuthService.sessionKey(cookie.getValue())));
  }

  private void changeKeys(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("currentAuthKey", "password", "authKey", "kdf", "vault", "recoveryAuth"), Set.of());
    AuthService.Credential current = KeysInput.credential(body, "currentAuthKey");
    AuthService.NewKeys keys = KeysInput.read(body, auth.minKdfIterations(), "recoveryAuth");
    auth.changeKeys(Principal.of(ctx), current, keys, AuthRoutes.caller(ctx))
        .onSuccess(user -> ctx.json(new JsonObject().put("user", user.toJson()).put("vault", user.vault())))
        .onFailure(ctx::fail);
  }

  private void export(RoutingContext ctx) {
    caller(ctx).compose(user -> hooks.exportOf(user.id())
            .map(data -> new JsonObject().put("user", user.toJson()).put("vault", user.vault()).put("kdf", user.kdf()).mergeIn(data)))
        .onSuccess(data -> ctx.response()
            .putHeader("Content-Type", "application/json; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"bridgework-export.json\"")
            .end(data.encodePrettily()))
        .onFailure(ctx::fail);
  }

  private void unsealed(RoutingContext ctx) {
    hooks.unsealedOf(Principal.of(ctx).userId())
        .onSuccess(items -> ctx.json(new JsonObject().put("items", items)))
        .onFailure(ctx::fail);
  }

  private void finishSealing(RoutingContext ctx) {
    JsonBody.read(ctx, Set.of(), Set.of());
    String userId = Principal.of(ctx).userId();
    caller(ctx).compose(user -> {
      if (user.isLegacy()) {
        throw ApiException.conflict("unsealed_pending", "Set new keys first (PUT /api/me/keys).");
      }
      return hooks.finishSealing(userId);
    }).onSuccess(remaining -> {
      if (remaining == 0) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.response().setStatusCode(409);
        ctx.json(new JsonObject().put("error", new JsonObject().put("code", "unsealed_pending")
            .put("message", remaining + " item(s) still need sealing.")).put("remaining", remaining));
      }
    }).onFailure(ctx::fail);
  }

  private void dismissEnding(RoutingContext ctx) {
    auth.users().setEnding(Principal.of(ctx).userId(), null)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void deleteAccount(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("authKey", "password"), Set.of());
    AuthService.Credential credential = KeysInput.credential(body, "authKey");
    String userId = Principal.of(ctx).userId();
    auth.confirm(userId, credential, AuthRoutes.caller(ctx))
        .compose(user -> hooks.eraseAll(userId))
        .compose(v -> auth.deleteUser(userId))
        .onSuccess(v -> {
          ctx.response().addCookie(SessionAuth.clearedCookie(ctx.request()));
          ctx.response().setStatusCode(204).end();
        }).onFailure(ctx::fail);
  }
}
