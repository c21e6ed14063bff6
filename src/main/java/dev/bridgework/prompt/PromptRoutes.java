package dev.bridgework.prompt;

import dev.bridgework.auth.Principal;
import dev.bridgework.auth.SessionAuth;
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
 * {@code /api/prompt-catalog} (the prompts, for anyone signed in) and {@code /api/prompts} (the
 * couple's asked prompts: {@code session → couple guard → handler}; 409 {@code not_paired} on the
 * list, 404 on routes naming a prompt).
 */
public final class PromptRoutes {
  private static final Set<String> PROMPT_SERVER_FIELDS =
      Set.of("id", "title", "kind", "proposedBy", "status", "answered", "shareId", "createdAt", "updatedAt", "revealedAt");

  private final Vertx vertx;
  private final PromptService prompts;
  private final CoupleService couples;
  private final SessionAuth sessionAuth;

  public PromptRoutes(Vertx vertx, PromptService prompts, CoupleService couples, SessionAuth sessionAuth) {
    this.vertx = vertx;
    this.prompts = prompts;
    this.couples = couples;
    this.sessionAuth = sessionAuth;
  }

  public Router catalogRouter() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(ctx -> ctx.json(prompts.catalog().toJson()));
    router.get("/:id").handler(ctx -> ctx.json(prompts.catalog().find(ctx.pathParam("id"))
        .orElseThrow(ApiException::notFound).toJson()));
    return router;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(sessionAuth);
    router.get("/").handler(CoupleGuard.forCollection(couples)).handler(this::listPrompts);
    router.route("/:id").handler(CoupleGuard.forItem(couples));
    router.route("/:id/*").handler(CoupleGuard.forItem(couples));
    router.get("/:id").handler(this::showPrompt);
    router.put("/:id").handler(this::proposePrompt);
    router.delete("/:id").handler(this::cancelPrompt);
    router.put("/:id/answer").handler(this::submitAnswer);
    router.delete("/:id/answer").handler(this::withdrawAnswer);
    return router;
  }

  private static String promptId(RoutingContext ctx) {
    return Ids.uuid(ctx.pathParam("id"), "id");
  }

  private void listPrompts(RoutingContext ctx) {
    prompts.list(CoupleGuard.couple(ctx))
        .onSuccess(list -> ctx.json(new JsonObject().put("prompts", new JsonArray(list))))
        .onFailure(ctx::fail);
  }

  private void showPrompt(RoutingContext ctx) {
    String id = promptId(ctx);
    prompts.get(CoupleGuard.couple(ctx), id).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void proposePrompt(RoutingContext ctx) {
    String id = promptId(ctx);
    String catalogId = JsonBody.read(ctx, Set.of("promptId"), PROMPT_SERVER_FIELDS).string("promptId", true, 1, 100);
    prompts.propose(CoupleGuard.couple(ctx), Principal.of(ctx).userId(), id, catalogId).onSuccess(saved -> {
      ctx.response().setStatusCode(saved.created() ? 201 : 200);
      ctx.json(saved.prompt());
    }).onFailure(ctx::fail);
  }

  private void cancelPrompt(RoutingContext ctx) {
    String id = promptId(ctx);
    JsonBody.read(ctx, Set.of(), Set.of());
    prompts.cancel(CoupleGuard.couple(ctx), id)
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private void submitAnswer(RoutingContext ctx) {
    String id = promptId(ctx);
    JsonObject answers = JsonBody.read(ctx, Set.of("answers"), Set.of()).object("answers", true);
    prompts.answer(CoupleGuard.couple(ctx), Principal.of(ctx).userId(), id, answers)
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void withdrawAnswer(RoutingContext ctx) {
    String id = promptId(ctx);
    JsonBody.read(ctx, Set.of(), Set.of());
    prompts.withdrawAnswer(CoupleGuard.couple(ctx), Principal.of(ctx).userId(), id)
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
