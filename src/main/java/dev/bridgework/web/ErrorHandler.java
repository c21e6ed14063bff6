package dev.bridgework.web;

import com.mongodb.MongoException;
import dev.bridgework.storage.Database;
import dev.bridgework.storage.KeyDestroyedException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become HTTP answers (STYLE.md "Handlers and errors"). Clients never see
 * a stack trace; unexpected failures are logged with the route only, never with request bodies.
 */
public final class ErrorHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten() || ctx.response().closed()) {
      return;
    }
    send(ctx, toApiException(ctx));
  }

  public static void send(RoutingContext ctx, ApiException e) {
    HttpServerResponse response = ctx.response();
    response.setStatusCode(e.status());
    response.putHeader("Content-Type", "application/json; charset=utf-8");
    response.putHeader("Cache-Control", "no-store");
    if (e.retryAfterSeconds() != null) response.putHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
    HttpServerRequest request = ctx.request();
    if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
      // Refused before its body was read (too large, wrong type): the rest of the body would sit
      // unread on the connection, so answer and close it rather than leave the client stuck.
      response.putHeader("Connection", "close");
      response.end(e.toJson().encode()).onComplete(done -> request.connection().close());
      return;
    }
    response.end(e.toJson().encode());
  }

  static ApiException toApiException(RoutingContext ctx) {
    Throwable failure = unwrap(ctx.failure());
    if (failure instanceof ApiException api) return api;
    if (failure instanceof DecodeException) return ApiException.invalidJson("The body is not valid JSON.");
    if (failure instanceof HttpException http) return fromStatus(http.getStatusCode(), ctx);
    if (failure instanceof KeyDestroyedException) return ApiException.notFound();
    if (Database.isUnavailable(failure)) {
      LOG.warn("Database unavailable on {} {}: {}", ctx.request().method(), ctx.request().path(), failure.getClass().getSimpleName());
      return ApiException.unavailable();
    }
    if (failure instanceof MongoException mongo && mongo.getCode() == 11000) {
      return ApiException.conflict("conflict", "That already exists.");
    }
    if (failure == null) return fromStatus(ctx.statusCode(), ctx);
    LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    return new ApiException(500, "internal", "Something went wrong on our side. Nothing you wrote was lost.");
  }

  static ApiException fromStatus(int status, RoutingContext ctx) {
    return switch (status) {
      case 400 -> ApiException.invalidJson("The request could not be read.");
      case 401 -> ApiException.unauthenticated();
      case 403 -> ApiException.forbidden("Not allowed.");
      case 404 -> ApiException.notFound();
      case 405 -> new ApiException(405, "method_not_allowed", "That method is not allowed here.");
      case 413 -> new ApiException(413, "too_large", "The request is too large (256 KiB at most).");
      case 415 -> new ApiException(415, "unsupported_media_type", "Send JSON (application/json).");
      case 503 -> ApiException.unavailable();
      default -> {
        if (status >= 400 && status < 500) yield new ApiException(status, "invalid", "The request could not be handled.");
        LOG.error("Unexpected status {} on {} {}", status, ctx.request().method(), ctx.request().path());
        yield new ApiException(500, "internal", "Something went wrong on our side. Nothing you wrote was lost.");
      }
    };
  }

  private static Throwable unwrap(Throwable t) {
    while (t != null && t.getCause() != null && !(t instanceof ApiException)
        && (t instanceof java.util.concurrent.CompletionException || t.getClass() == RuntimeException.class)) {
      t = t.getCause();
    }
    return t;
  }
}
