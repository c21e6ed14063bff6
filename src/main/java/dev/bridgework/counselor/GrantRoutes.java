package dev.bridgework.counselor;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.review.JointSpace;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.JsonBody;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * {@code /api/counselor-grants} (docs/COUNSELOR.md), the partners' side. Chains are
 * {@code session → couple → handler}: not being paired is 409 {@code not_paired} on the collection
 * and 404 on a grant; another couple's grant is 404, as if it did not exist.
 */
public final class GrantRoutes {
  private static final String COUPLE = "bw.counselor.couple";
  /** Fields the server sets on a grant; echoing them back is not an error. */
  private static final Set<String> SERVER_FIELDS = Set.of("id", "status", "proposedBy", "consentedBy", "endedBy",
      "createdAt", "activatedAt", "endedAt", "expiresAt", "opens");

  /** Consent takes an empty body; a client may echo the whole grant back. */
  private static final Set<String> GRANT_FIELDS = Set.of("id", "reviewId", "label", "days", "status", "proposedBy",
      "consentedBy", "endedBy", "createdAt", "activatedAt", "endedAt", "expiresAt", "opens");

  private final Vertx vertx;
  private final CounselorService counselors;
  private final SessionAuth sessionAuth;

  public GrantRoutes(Vertx vertx, CounselorService counselors, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.counselors = counselors;
    this.sessionAuth = sessionAuth;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.post("/").handler(couple(false)).handler(this::proposeGrant);
    router.get("/").handler(couple(false)).handler(this::listGrants);
    router.get("/:id").handler(couple(true)).handler(this::getGrant);
    router.put("/:id/consent").handler(couple(true)).handler(this::consentToGrant);
    router.delete("/:id").handler(couple(true)).handler(this::revokeGrant);
    return router;
  }

  private Handler<RoutingContext> couple(boolean namesAnId) {
    return ctx -> counselors.coupleOf(Principal.of(ctx).userId()).onSuccess(couple -> {
      if (couple == null) {
        ctx.fail(namesAnId ? ApiException.notFound()
            : ApiException.conflict("not_paired", "You are not in a joint space yet."));
      } else {
        ctx.put(COUPLE, couple);
        ctx.next();
      }
    }).onFailure(ctx::fail);
  }

  private static JointSpace.Couple couple(RoutingContext ctx) {
    return ctx.get(COUPLE);
  }

  /** Grant ids are the server's; anything else is simply not found. */
  private static String grantId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isUuid(id)) throw ApiException.notFound();
    return id.toLowerCase();
  }

  /** Body {@code {reviewId, label?, days?}}: 201 {@code {grant, token, path}}; the token is never shown again. */
  private void proposeGrant(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("reviewId", "label", "days"), SERVER_FIELDS);
    String reviewId = body.string("reviewId", true, 1, 100);
    if (!Ids.isUuid(reviewId)) throw ApiException.invalid("reviewId", "'reviewId' must be a review id.");
    String label = body.string("label", false, 0, CounselorService.MAX_LABEL);
    if (label != null) {
      if (label.contains("\n") || label.contains("\r")) throw ApiException.invalid("label", "'label' must be one line.");
      label = label.strip();
      if (label.isEmpty()) label = null;
    }
    Integer days = body.integer("days", false, 1, CounselorService.MAX_DAYS);
    counselors.propose(couple(ctx), Principal.of(ctx).userId(), reviewId.toLowerCase(), label,
            days == null ? CounselorService.DEFAULT_DAYS : days)
        .onSuccess(p -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json; charset=utf-8")
            .end(p.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private void listGrants(RoutingContext ctx) {
    counselors.list(couple(ctx))
        .map(list -> new JsonObject().put("grants", new JsonArray(list.stream().map(Grant::toJson).toList())))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void getGrant(RoutingContext ctx) {
    counselors.get(couple(ctx), grantId(ctx)).onSuccess(g -> ctx.json(g.toJson())).onFailure(ctx::fail);
  }

  private void consentToGrant(RoutingContext ctx) {
    String id = grantId(ctx);
    JsonBody.read(ctx, Set.of(), GRANT_FIELDS);
    counselors.consent(couple(ctx), Principal.of(ctx).userId(), id).onSuccess(g -> ctx.json(g.toJson())).onFailure(ctx::fail);
  }

  private void revokeGrant(RoutingContext ctx) {
    String id = grantId(ctx);
    counselors.revoke(couple(ctx), Principal.of(ctx).userId(), id)
        .onSuccess(g -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
