package dev.bridgework.notify;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleService;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.FeatureRoutes;
import dev.bridgework.web.Ids;
import dev.bridgework.web.JsonBody;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The routes of issue #16, each the caller's own (there is no way to name another person):
 * {@code /api/me/notifications}, {@code /api/me/seen}, {@code /api/me/unread}, {@code /api/me/receipts},
 * {@code /api/me/reminders}, and {@code /api/unsubscribe} (no session: the signed token is the authority).
 */
public final class NotifyRoutes {
  private final Vertx vertx;
  private final NotificationService service;
  private final CoupleService couples;
  private final SessionAuth sessionAuth;

  public NotifyRoutes(Vertx vertx, NotificationService service, CoupleService couples, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.service = service;
    this.couples = couples;
    this.sessionAuth = sessionAuth;
  }

  public List<FeatureRoutes> features() {
    List<FeatureRoutes> out = new ArrayList<>();
    Router settings = guarded();
    settings.get("/").handler(ctx -> service.settings(userId(ctx)).onSuccess(s -> ctx.json(s.toJson())).onFailure(ctx::fail));
    settings.put("/").handler(this::saveSettings);
    out.add(new FeatureRoutes("/api/me/notifications", settings));

    Router seen = guarded();
    seen.put("/").handler(this::markSeen);
    out.add(new FeatureRoutes("/api/me/seen", seen));

    Router unread = guarded();
    unread.get("/").handler(ctx -> couples.coupleOf(userId(ctx)).compose(c -> service.unread(userId(ctx), c))
        .onSuccess(ctx::json).onFailure(ctx::fail));
    out.add(new FeatureRoutes("/api/me/unread", unread));

    Router receipts = guarded();
    receipts.get("/").handler(ctx -> paired(ctx).compose(c -> service.receipts(userId(ctx), c))
        .onSuccess(ctx::json).onFailure(ctx::fail));
    out.add(new FeatureRoutes("/api/me/receipts", receipts));

    Router reminders = guarded();
    reminders.get("/").handler(ctx -> service.reminders(userId(ctx)).onSuccess(ctx::json).onFailure(ctx::fail));
    reminders.put("/:id").handler(this::saveReminder);
    reminders.delete("/:id").handler(ctx -> service.deleteReminder(userId(ctx), Ids.uuid(ctx.pathParam("id"), "id"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail));
    out.add(new FeatureRoutes("/api/me/reminders", reminders));

    Router unsubscribe = Router.router(vertx);
    unsubscribe.get("/").handler(this::unsubscribePage);
    unsubscribe.post("/").handler(this::unsubscribe);
    out.add(new FeatureRoutes("/api/unsubscribe", unsubscribe));
    return out;
  }

  private Router guarded() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    return router;
  }

  private static String userId(RoutingContext ctx) {
    return Principal.of(ctx).userId();
  }

  private Future<Couple> paired(RoutingContext ctx) {
    return couples.coupleOf(userId(ctx)).map(c -> {
      if (c == null) throw ApiException.conflict("not_paired", "You have no joint space yet.");
      return c;
    });
  }

  private void saveSettings(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, NotificationSettings.FIELDS, Set.of());
    service.saveSettings(userId(ctx), body.raw()).onSuccess(s -> ctx.json(s.toJson())).onFailure(ctx::fail);
  }

  private void markSeen(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("couple", "opened", "checkin"), Set.of());
    Integer seq = body.integer("couple", false, 0, Integer.MAX_VALUE);
    JsonArray openedJson = body.array("opened", false, 0, 100);
    List<String> opened = new ArrayList<>();
    if (openedJson != null) {
      for (Object o : openedJson) {
        if (!(o instanceof String s)) throw ApiException.invalid("opened", "'opened' must list share ids.");
        opened.add(Ids.uuid(s, "opened"));
      }
    }
    Boolean checkin = body.bool("checkin", false);
    couples.coupleOf(userId(ctx))
        .compose(c -> service.markSeen(userId(ctx), c, seq == null ? null : seq.longValue(), opened, Boolean.TRUE.equals(checkin)))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void saveReminder(RoutingContext ctx) {
    String id = Ids.uuid(ctx.pathParam("id"), "id");
    JsonBody body = JsonBody.read(ctx, Set.of("dueAt", "channel"), Set.of("id"));
    Instant dueAt = Times.parse(body.string("dueAt", true, 1, 40), "dueAt");
    String channel = body.oneOf("channel", true, NotificationSettings.CHANNELS);
    service.saveReminder(userId(ctx), id, dueAt, channel).onSuccess(r -> {
      ctx.response().setStatusCode(r.getBoolean("created") ? 201 : 200);
      r.remove("created");
      ctx.json(r);
    }).onFailure(ctx::fail);
  }

  /**
   * RFC 8058 one-click: the mail provider POSTs {@code List-Unsubscribe=One-Click} (form-encoded)
   * to the URL of the {@code List-Unsubscribe} header; the page's button does the same. No
   * session: the token is signed. A forged or tampered token is a 404 and changes nothing.
   */
  private void unsubscribe(RoutingContext ctx) {
    service.unsubscribe(ctx.queryParams().get("token")).onSuccess(v -> {
      if (wantsHtml(ctx)) {
        page(ctx, 200, "<h1>You will get no more email from Bridgework</h1>"
            + "<p>Notices and reminders stay in the app. You can turn email on again in your account settings.</p>"
            + "<p><a href=\"/#/account\">Open Bridgework</a></p>");
      } else {
        ctx.response().setStatusCode(204).end();
      }
    }).onFailure(ctx::fail);
  }

  /** The link in an email opens this page; only its button unsubscribes (link scanners only GET). */
  private void unsubscribePage(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    if (service.tokenValid(token)) {
      page(ctx, 200, "<h1>Stop emails from Bridgework?</h1>"
          + "<form method=\"post\" action=\"/api/unsubscribe?token=" + Emails.escape(token) + "\">"
          + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
          + "<button type=\"submit\" data-testid=\"unsubscribe-confirm\">Stop all emails</button></form>"
          + "<p>Notices and reminders stay in the app.</p>");
    } else if (!accepts(ctx, "text/html")) {
      ctx.fail(ApiException.notFound());
    } else {
      page(ctx, 404, "<h1>This link does not work</h1><p>You can change your emails in your account settings.</p>");
    }
  }

  private static boolean accepts(RoutingContext ctx, String type) {
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains(type);
  }

  private static boolean wantsHtml(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/html") && type != null && type.startsWith("application/x-www-form-urlencoded");
  }

  private static void page(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
        .end("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            + "content=\"width=device-width, initial-scale=1\"><title>Bridgework emails</title>"
            + "<link rel=\"stylesheet\" href=\"/css/app.css\"></head><body><main class=\"card\">" + body + "</main></body></html>");
  }
}
