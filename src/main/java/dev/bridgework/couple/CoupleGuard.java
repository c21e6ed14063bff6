package dev.bridgework.couple;

import dev.bridgework.auth.Principal;
import dev.bridgework.web.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The "requireCoupleMember" link of a route chain ({@code session → guard → handler}): loads the
 * caller's couple and puts it on the context. Not being paired answers as API.md says: 409
 * {@code not_paired} on collection routes, 404 on routes naming an id (nothing there for you).
 */
public final class CoupleGuard implements Handler<RoutingContext> {
  private static final String KEY = "bw.couple";
  private final CoupleService couples;
  private final boolean namesAnId;

  private CoupleGuard(CoupleService couples, boolean namesAnId) {
    this.couples = couples;
    this.namesAnId = namesAnId;
  }

  /** For {@code GET /api/shares}, {@code POST /api/reviews}, ...: 409 {@code not_paired}. */
  public static CoupleGuard forCollection(CoupleService couples) {
    return new CoupleGuard(couples, false);
  }

  /** For {@code /api/shares/{id}}, ...: 404, as for anything the caller cannot see. */
  public static CoupleGuard forItem(CoupleService couples) {
    return new CoupleGuard(couples, true);
  }

  @Override
  public void handle(RoutingContext ctx) {
    couples.memberOf(Principal.of(ctx).userId()).onSuccess(couple -> {
      if (couple == null) {
        ctx.fail(namesAnId ? ApiException.notFound() : CoupleService.notPaired());
      } else {
        ctx.put(KEY, couple);
        ctx.next();
      }
    }).onFailure(ctx::fail);
  }

  public static Couple couple(RoutingContext ctx) {
    Couple couple = ctx.get(KEY);
    if (couple == null) throw new IllegalStateException("route is not behind CoupleGuard");
    return couple;
  }
}
