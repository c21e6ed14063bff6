package dev.bridgework.couple;

import dev.bridgework.testing.Api;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helpers for pairing people over the real HTTP API. */
public final class Pairing {
  private Pairing() {}

  /** {@code first} creates a joint space and {@code second} joins it; answers the couple id. */
  public static String pair(Api first, Api second) {
    String code = createCouple(first).getJsonObject("invite").getString("code");
    var joined = join(second, code);
    assertEquals(200, joined.statusCode(), joined.bodyAsString());
    return joined.bodyAsJsonObject().getJsonObject("couple").getString("id");
  }

  public static JsonObject createCouple(Api api) {
    var r = api.post("/api/couple", new JsonObject());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  public static HttpResponse<Buffer> join(Api api, String code) {
    return api.post("/api/couple/join", new JsonObject().put("code", code));
  }

  public static String errorCode(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("code");
  }
}
