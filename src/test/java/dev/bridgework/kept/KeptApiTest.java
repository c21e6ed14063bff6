package dev.bridgework.kept;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.SealedWorkContract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Kept words ({@code /api/kept}, ENCRYPTION.md): a private collection like parts, sealed with AAD
 * {@code kept/<id>}. The shared rules are in {@link SealedWorkContract}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class KeptApiTest extends SealedWorkContract {
  @Override
  protected String kind() {
    return "kept";
  }

  @Override
  protected String path() {
    return "/api/kept";
  }

  @Override
  protected String plural() {
    return "kept";
  }

  @Override
  protected JsonObject content(String text) {
    return new JsonObject().put("source", "share").put("title", "What I said").put("excerpts",
            new JsonArray().add(new JsonObject().putNull("stepId").put("text", text)))
        .put("note", "a note").put("intent", "listen").put("sharedAt", "2025-05-01T10:00:00.000Z")
        .put("partnerName", "Bob").put("keptAt", "2025-06-01T10:00:00.000Z");
  }

  @Override
  protected Map<String, Object> contentFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("title", "In the clear");
    fields.put("excerpts", new JsonArray().add(new JsonObject().put("text", "In the clear")));
    fields.put("note", "In the clear");
    return fields;
  }

  @Test
  void theClientOpensTheWordsItKept() {
    Api alice = server.register("Alice");
    String id = newId();
    var r = alice.saveKept(id, content("Words I keep."), null);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(content("Words I keep."), alice.open("kept", id, r.bodyAsJsonObject().getJsonObject("sealed")));
    assertEquals("Words I keep.", alice.openKept(r.bodyAsJsonObject()).getJsonArray("excerpts").getJsonObject(0).getString("text"));
  }
}
