package dev.bridgework.auth;

import dev.bridgework.web.ApiException;
import dev.bridgework.web.ClientRequestInfo;
import dev.bridgework.web.Envelope;
import dev.bridgework.web.JsonBody;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.regex.Pattern;

/** {@code /api/auth/*}: prelogin, register, login, recovery, logout (API.md "Account", revised). */
public final class AuthRoutes {
  private static final Pattern EMAIL = Pattern.compile("^[^\\s@]{1,64}@[^\\s@.]+(\\.[^\\s@.]+)+$");
  private static final Set<String> KEY_FIELDS = Set.of("authKey", "kdf", "vault");

  private final Vertx vertx;
  private final AuthService auth;
  private final SessionAuth sessionAuth;
  private final SessionStore sessions;

  public AuthRoutes(Vertx vertx, AuthService auth, SessionAuth sessionAuth, SessionStore sessions) {
    this.vertx = vertx;
    this.auth = auth;
    this.sessionAuth = sessionAuth;
    this.sessions = sessions;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.post("/prelogin").handler(this::prelogin);
    router.post("/register").handler(this::register);
    router.post("/login").handler(this::login);
    router.post("/recover/start").handler(this::recoverStart);
    router.post("/recover").handler(this::recover);
    router.post("/logout").handler(sessionAuth).handler(this::logout);
    return router;
  }

  private void prelogin(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("email"), Set.of());
    String email = body.string("email", true, 1, 254);
    auth.prelogin(email).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void register(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, union(KEY_FIELDS, Set.of("email", "displayName", "recoveryAuth")), Set.of());
    String email = email(body);
    String displayName = body.string("displayName", true, 1, 80).trim();
    if (displayName.isEmpty()) throw ApiException.invalid("displayName", "'displayName' must not be blank.");
    AuthService.NewKeys keys = KeysInput.read(body, auth.minKdfIterations(), "recoveryAuth");
    auth.register(email, displayName, keys)
        .onSuccess(signedIn -> signedIn(ctx, 201, signedIn))
        .onFailure(ctx::fail);
  }

  private void login(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("email", "authKey", "password"), Set.of());
    String email = body.string("email", true, 1, 254);
    AuthService.Credential credential = KeysInput.credential(body, "authKey");
    auth.login(email, credential, caller(ctx))
        .onSuccess(signedIn -> signedIn(ctx, 200, signedIn))
        .onFailure(ctx::fail);
  }

  private void recoverStart(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("email", "recoveryAuth"), Set.of());
    String email = body.string("email", true, 1, 254);
    String recoveryAuth = Envelope.key32("recoveryAuth", body.raw().getValue("recoveryAuth"));
    auth.recoverStart(email, recoveryAuth, caller(ctx))
        .onSuccess(recovery -> ctx.json(new JsonObject().put("vault", recovery)))
        .onFailure(ctx::fail);
  }

  private void recover(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, union(KEY_FIELDS, Set.of("email", "recoveryAuth", "recoveryAuth2")), Set.of());
    String email = body.string("email", true, 1, 254);
    String recoveryAuth = Envelope.key32("recoveryAuth", body.raw().getValue("recoveryAuth"));
    AuthService.NewKeys keys = KeysInput.read(body, auth.minKdfIterations(), "recoveryAuth2");
    auth.recover(email, recoveryAuth, keys, caller(ctx))
        .onSuccess(signedIn -> signedIn(ctx, 200, signedIn))
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    auth.logout(Principal.of(ctx)).onSuccess(v -> {
      ctx.response().addCookie(SessionAuth.clearedCookie(ctx.request()));
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  private void signedIn(RoutingContext ctx, int status, AuthService.SignedIn signedIn) {
    ctx.response().addCookie(SessionAuth.sessionCookie(ctx.request(), signedIn.token(), sessions.absoluteTimeout().toSeconds()));
    Cookie device = ctx.request().getCookie(DeviceCookies.COOKIE);
    ctx.response().addCookie(SessionAuth.deviceCookie(ctx.request(),
        auth.deviceCookieFor(signedIn.user().email(), device == null ? null : device.getValue())));
    ctx.response().setStatusCode(status);
    ctx.json(new JsonObject().put("user", signedIn.user().toJson()).put("vault", signedIn.user().vault()));
  }

  /** The client address and device cookie that attempts are counted against. */
  static AuthService.Caller caller(RoutingContext ctx) {
    Cookie device = ctx.request().getCookie(DeviceCookies.COOKIE);
    return new AuthService.Caller(clientAddress(ctx), device == null ? null : device.getValue());
  }

  /** The address failed attempts are counted against (behind a trusted proxy, the one it forwarded for). */
  static String clientAddress(RoutingContext ctx) {
    return ClientRequestInfo.clientAddress(ctx);
  }

  static String email(JsonBody body) {
    String email = body.string("email", true, 3, 254).trim();
    if (!EMAIL.matcher(email).matches()) throw ApiException.invalid("email", "That does not look like an email address.");
    return email;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.HashSet<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
