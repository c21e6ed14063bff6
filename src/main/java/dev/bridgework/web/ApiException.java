package dev.bridgework.web;

import io.vertx.core.json.JsonObject;

/**
 * A failure a client can cause or is told about. The one failure handler in {@link ErrorHandler}
 * turns it into the contract's error body: {@code {"error":{"code","message","field"}}} plus any
 * extra top-level members (for example {@code current} on a version conflict).
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;
  private final JsonObject extra;
  private final Long retryAfterSeconds;

  public ApiException(int status, String code, String message, String field, JsonObject extra, Long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.extra = extra;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public ApiException(int status, String code, String message) {
    this(status, code, message, null, null, null);
  }

  public static ApiException invalid(String field, String message) {
    return new ApiException(400, "invalid", message, field, null, null);
  }

  public static ApiException invalidJson(String message) {
    return new ApiException(400, "invalid_json", message);
  }

  public static ApiException notFound() {
    return new ApiException(404, "not_found", "Nothing here.");
  }

  public static ApiException unauthenticated() {
    return new ApiException(401, "unauthenticated", "Please sign in.");
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message);
  }

  public static ApiException notAuthor() {
    return new ApiException(403, "not_author", "Only the person who shared this can change it.");
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }

  /** 409 with the stored resource as {@code current}, so a client can show both versions. */
  public static ApiException versionConflict(JsonObject current) {
    return new ApiException(409, "version_conflict", "This was changed elsewhere since you last saw it.",
        null, new JsonObject().put("current", current), null);
  }

  public static ApiException conflictWithCurrent(String code, String message, JsonObject current) {
    return new ApiException(409, code, message, null, new JsonObject().put("current", current), null);
  }

  public static ApiException rateLimited(long retryAfterSeconds) {
    return new ApiException(429, "rate_limited", "Too many attempts. Please wait a little and try again.",
        null, null, Math.max(1, retryAfterSeconds));
  }

  /** Seconds a client should wait after a 503 before it tries again. */
  public static final long RETRY_AFTER_UNAVAILABLE = 5;

  /** 503: the database (or another resource the request needs) is unavailable or busy for now; try again later. */
  public static ApiException unavailable() {
    return new ApiException(503, "unavailable", "The service is briefly unavailable. Nothing was lost; please try again shortly.",
        null, null, RETRY_AFTER_UNAVAILABLE);
  }

  /** 503 for a queue that is full: the server is busy with this kind of work. */
  public static ApiException busy(String message) {
    return new ApiException(503, "busy", message, null, null, RETRY_AFTER_UNAVAILABLE);
  }

  public int status() { return status; }
  public String code() { return code; }
  public String field() { return field; }
  public JsonObject extra() { return extra; }
  public Long retryAfterSeconds() { return retryAfterSeconds; }

  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code).put("message", getMessage());
    if (field != null) error.put("field", field);
    JsonObject body = new JsonObject().put("error", error);
    if (extra != null) extra.forEach(e -> body.put(e.getKey(), e.getValue()));
    return body;
  }
}
