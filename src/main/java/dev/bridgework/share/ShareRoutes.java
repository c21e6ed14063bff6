package dev.bridgework.share;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleGuard;
import dev.bridgework.couple.CoupleService;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.JsonBody;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * {@code /api/shares}: the joint space's shared items. Every route runs
 * {@code session → couple guard → handler}; the guard answers 409 {@code not_paired} on the list
 * and 404 on routes naming a share.
 */
public final class ShareRoutes {
  private final Vertx vertx;
  private final ShareService shares;
  private final SessionAuth sessionAuth;
  private final CoupleService couples;

  public ShareRoutes(Vertx vertx, ShareService shares, CoupleService couples, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.shares = shares;
    this.couples = couples;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(CoupleGuard.forCollection(couples)).handler(this::listShares);
    router.route("/:id").handler(CoupleGuard.forItem(couples));
    router.route("/:id/*").handler(CoupleGuard.forItem(couples));
    router.get("/:id").handler(this::showShare);
    router.put("/:id").handler(this::saveShare);
    router.delete("/:id").handler(this::withdrawShare);
    router.put("/:id/counseling").handler(this::flagShare);
    router.put("/:id/responses/:rid").handler(this::saveResponse);
    router.delete("/:id/responses/:rid").handler(this::deleteResponse);
    return router;
  }

  private static String userId(RoutingContext ctx) {
    return Principal.of(ctx).userId();
  }

  private static String shareId(RoutingContext ctx) {
    return Ids.uuid(ctx.pathParam("id"), "id");
  }

  private void listShares(RoutingContext ctx) {
    shares.sharesOf(CoupleGuard.couple(ctx).id()).onSuccess(list -> {
      JsonArray items = new JsonArray();
      list.forEach(s -> items.add(s.toJson()));
      ctx.json(new JsonObject().put("shares", items));
    }).onFailure(ctx::fail);
  }

  private void showShare(RoutingContext ctx) {
    String id = shareId(ctx);
    shares.find(CoupleGuard.couple(ctx).id(), id).onSuccess(share -> {
      if (share == null) ctx.fail(ApiException.notFound());
      else ctx.json(share.toJson());
    }).onFailure(ctx::fail);
  }

  private void saveShare(RoutingContext ctx) {
    String id = shareId(ctx);
    ShareDraft draft = ShareDraft.fromBody(JsonBody.read(ctx, ShareDraft.FIELDS, ShareDraft.SERVER_FIELDS));
    Couple couple = CoupleGuard.couple(ctx);
    shares.save(couple, userId(ctx), id, draft).onSuccess(saved -> answer(ctx, saved)).onFailure(ctx::fail);
  }

  private void withdrawShare(RoutingContext ctx) {
    String id = shareId(ctx);
    JsonBody.read(ctx, Set.of(), Set.of());
    shares.withdraw(CoupleGuard.couple(ctx), userId(ctx), id)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void flagShare(RoutingContext ctx) {
    String id = shareId(ctx);
    boolean flag = JsonBody.read(ctx, Set.of("flag"), Set.of()).bool("flag", true);
    shares.flag(CoupleGuard.couple(ctx), id, flag).onSuccess(share -> ctx.json(share.toJson())).onFailure(ctx::fail);
  }

  private void saveResponse(RoutingContext ctx) {
    String id = shareId(ctx);
    String responseId = Ids.uuid(ctx.pathParam("rid"), "rid");
    ResponseDraft draft = ResponseDraft.fromBody(JsonBody.read(ctx, ResponseDraft.FIELDS, ResponseDraft.SERVER_FIELDS));
    shares.respond(CoupleGuard.couple(ctx), userId(ctx), id, responseId, draft)
        .onSuccess(saved -> answer(ctx, saved)).onFailure(ctx::fail);
  }

  private void deleteResponse(RoutingContext ctx) {
    String id = shareId(ctx);
    String responseId = Ids.uuid(ctx.pathParam("rid"), "rid");
    JsonBody.read(ctx, Set.of(), Set.of());
    shares.deleteResponse(CoupleGuard.couple(ctx), userId(ctx), id, responseId)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private static void answer(RoutingContext ctx, ShareService.Saved saved) {
    ctx.response().setStatusCode(saved.created() ? 201 : 200);
    ctx.json(saved.share().toJson());
  }
}
