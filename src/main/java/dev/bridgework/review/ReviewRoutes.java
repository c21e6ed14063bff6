package dev.bridgework.review;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.JsonBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/reviews} (API.md "Joint review"). Chains are {@code session → couple → handler}: not
 * being paired answers 409 {@code not_paired} on the collection routes and 404 on routes naming a
 * review, as does a review of another couple.
 */
public final class ReviewRoutes {
  private static final String COUPLE = "bw.review.couple";
  /** Fields the server sets on a review; a client echoing them back is not an error. */
  private static final Set<String> SERVER_FIELDS = Set.of("id", "status", "agenda", "ready", "startedBy", "createdAt", "closedAt");

  private final Vertx vertx;
  private final ReviewService reviews;
  private final SessionAuth sessionAuth;

  public ReviewRoutes(Vertx vertx, ReviewService reviews, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.reviews = reviews;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    Handler<RoutingContext> collection = couple(false);
    Handler<RoutingContext> item = couple(true);
    router.post("/").handler(collection).handler(this::startReview);
    router.get("/").handler(collection).handler(this::listReviews);
    router.get("/current").handler(collection).handler(this::currentReview);
    router.get("/:id").handler(item).handler(this::getReview);
    router.put("/:id/agenda").handler(item).handler(this::setAgenda);
    router.put("/:id/notes/:shareId").handler(item).handler(this::setNote);
    router.put("/:id/ready").handler(item).handler(this::setReady);
    router.post("/:id/close").handler(item).handler(this::closeReview);
    router.get("/:id/brief").handler(item).handler(this::brief);
    return router;
  }

  /** Loads the caller's couple onto the context, or answers as the contract says for the unpaired. */
  private Handler<RoutingContext> couple(boolean namesAnId) {
    return ctx -> reviews.coupleOf(Principal.of(ctx).userId()).onSuccess(couple -> {
      if (couple == null) {
        ctx.fail(namesAnId ? ApiException.notFound() : ReviewService.notPaired());
      } else {
        ctx.put(COUPLE, couple);
        ctx.next();
      }
    }).onFailure(ctx::fail);
  }

  private static JointSpace.Couple couple(RoutingContext ctx) {
    return ctx.get(COUPLE);
  }

  /** Review ids are chosen by the server; anything that is not one of ours is simply not found. */
  private static String reviewId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isUuid(id)) throw ApiException.notFound();
    return id.toLowerCase();
  }

  private void startReview(RoutingContext ctx) {
    JsonBody.read(ctx, Set.of(), SERVER_FIELDS);
    reviews.start(couple(ctx), Principal.of(ctx).userId())
        .onSuccess(review -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json; charset=utf-8")
            .end(review.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private void listReviews(RoutingContext ctx) {
    reviews.list(couple(ctx).id())
        .map(list -> new JsonObject().put("reviews", new JsonArray(list.stream().map(Review::toJson).toList())))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void currentReview(RoutingContext ctx) {
    reviews.current(couple(ctx).id())
        .compose(review -> review == null ? Future.failedFuture(ApiException.notFound()) : Future.succeededFuture(review))
        .onSuccess(review -> ctx.json(review.toJson())).onFailure(ctx::fail);
  }

  private void getReview(RoutingContext ctx) {
    reviews.get(couple(ctx).id(), reviewId(ctx)).onSuccess(review -> ctx.json(review.toJson())).onFailure(ctx::fail);
  }

  private void setAgenda(RoutingContext ctx) {
    String id = reviewId(ctx);
    JsonBody body = JsonBody.read(ctx, Set.of("shareIds"), SERVER_FIELDS);
    JsonArray array = body.array("shareIds", true, 0, ReviewService.MAX_AGENDA);
    List<String> shareIds = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Object o : array) {
      if (!(o instanceof String s) || !Ids.isUuid(s)) throw ApiException.invalid("shareIds", "'shareIds' must be share ids.");
      String shareId = s.toLowerCase();
      if (!seen.add(shareId)) throw ApiException.invalid("shareIds", "'" + shareId + "' is on the agenda twice.");
      shareIds.add(shareId);
    }
    reviews.setAgenda(couple(ctx), id, shareIds).onSuccess(review -> ctx.json(review.toJson())).onFailure(ctx::fail);
  }

  private void setNote(RoutingContext ctx) {
    String id = reviewId(ctx);
    String shareId = Ids.uuid(ctx.pathParam("shareId"), "shareId");
    JsonBody body = JsonBody.read(ctx, Set.of("text"), Set.of("shareId", "userId"));
    String text = body.string("text", true, 0, JsonBody.MAX_TEXT);
    reviews.setNote(couple(ctx), Principal.of(ctx).userId(), id, shareId, text)
        .onSuccess(review -> ctx.json(review.toJson())).onFailure(ctx::fail);
  }

  private void setReady(RoutingContext ctx) {
    String id = reviewId(ctx);
    JsonBody body = JsonBody.read(ctx, Set.of("ready"), Set.of("userId"));
    boolean ready = body.bool("ready", true);
    reviews.setReady(couple(ctx), Principal.of(ctx).userId(), id, ready)
        .onSuccess(review -> ctx.json(review.toJson())).onFailure(ctx::fail);
  }

  private void closeReview(RoutingContext ctx) {
    String id = reviewId(ctx);
    // {} still closes; carryOver (optional) names agenda items that stay flagged (docs/REVIEW.md).
    JsonBody body = JsonBody.read(ctx, Set.of("carryOver"), SERVER_FIELDS);
    List<String> carryOver = new java.util.ArrayList<>();
    var ids = body.array("carryOver", false, 0, ReviewService.MAX_AGENDA);
    if (ids != null) {
      for (Object o : ids) {
        if (!(o instanceof String s)) throw ApiException.invalid("carryOver", "carryOver holds share ids.");
        carryOver.add(Ids.uuid(s, "carryOver"));
      }
    }
    reviews.close(couple(ctx), id, carryOver).onSuccess(review -> ctx.json(review.toJson())).onFailure(ctx::fail);
  }

  /**
   * The brief as a file. The HTML page replaces the app's CSP with its own: nothing may
   * load or run, and only the page's own inline style (allowed by its hash) applies.
   */
  private void brief(RoutingContext ctx) {
    String id = reviewId(ctx);
    List<String> formats = ctx.queryParam("format");
    String format = formats.size() == 1 ? formats.get(0) : null;
    reviews.brief(couple(ctx), id, format).onSuccess(file -> {
      var response = ctx.response()
          .putHeader("Content-Type", file.contentType())
          // The printable page opens in a tab to print; Markdown and PDF are saved as files.
          .putHeader("Content-Disposition", ("html".equals(format) ? "inline" : "attachment")
              + "; filename=\"" + file.fileName() + "\"")
          .putHeader("Cache-Control", "no-store");
      if ("html".equals(format)) response.putHeader("Content-Security-Policy", BriefRenderer.HTML_CSP);
      response.end(file.body());
    }).onFailure(ctx::fail);
  }
}
