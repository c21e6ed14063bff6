package dev.bridgework.auth;

import dev.bridgework.web.ApiException;
import dev.bridgework.web.JsonBody;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.regex.Pattern;

/** {@code /api/auth/*}: register, login, logout. */
public final class AuthRoutes {
  private static final Pattern EMAIL = Pattern.compile("^[^\\s@]{1,64}@[^\\s@.]+(\\.[^\\s@.]+)+$");
  private static final int MIN_PASSWORD = 10;
  private static final int MAX_PASSWORD = 1024;

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
    router.post("/register").handler(this::register);
    router.post("/login").handler(this::login);
    router.post("/logout").handler(sessionAuth).handler(this::logout);
    return router;
  }

  private void register(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("email", "password", "displayName"), Set.of());
    String email = email(body);
    String password = password(body);
    String displayName = body.string("displayName", true, 1, 80).trim();
    if (displayName.isEmpty()) throw ApiException.invalid("displayName", "'displayName' must not be blank.");
    auth.register(email, password, displayName)
        .onSuccess(signedIn -> signedIn(ctx, 201, signedIn))
        .onFailure(ctx::fail);
  }

  private void login(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("email", "password"), Set.of());
    String email = body.string("email", true, 1, 254);
    String password = body.string("password", true, 1, MAX_PASSWORD);
    auth.login(email, password, ctx.request().remoteAddress().hostAddress())
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
    ctx.response().setStatusCode(status);
    ctx.json(new JsonObject().put("user", signedIn.user().toJson()));
  }

  static String email(JsonBody body) {
    String email = body.string("email", true, 3, 254).trim();
    if (!EMAIL.matcher(email).matches()) throw ApiException.invalid("email", "That does not look like an email address.");
    return email;
  }

  static String password(JsonBody body) {
    String password = body.string("password", true, 1, MAX_PASSWORD);
    if (password.codePointCount(0, password.length()) < MIN_PASSWORD) {
      throw ApiException.invalid("password", "Choose a password of at least " + MIN_PASSWORD + " characters.");
    }
    return password;
  }
}
