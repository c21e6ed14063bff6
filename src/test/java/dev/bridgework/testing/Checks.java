package dev.bridgework.testing;

import dev.bridgework.realtime.Stream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small assertions shared by API tests: the contract's error body, and what a self stream holds. */
public final class Checks {
  private Checks() {}

  /** Asserts status, {@code error.code} and (when given) {@code error.field}; answers the error object. */
  public static JsonObject assertError(HttpResponse<Buffer> r, int status, String code, String field) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals(code, error.getString("code"), r.bodyAsString());
    if (field != null) assertEquals(field, error.getString("field"), r.bodyAsString());
    return error;
  }

  public static void assertInvalid(HttpResponse<Buffer> r, String field) {
    assertError(r, 400, "invalid", field);
  }

  /** Every stored event of the user's self stream, decrypted, in order. */
  public static List<JsonObject> selfEvents(TestServer server, String userId) {
    long head = server.app.events().head(Stream.self(userId)).await();
    return head == 0 ? List.of() : server.app.events().read(Stream.self(userId), 1, head).await();
  }

  public static long selfHead(TestServer server, String userId) {
    return server.app.events().head(Stream.self(userId)).await();
  }
}
