package dev.bridgework.parts;

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
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The parts map: every field of a part is sealed by the client; the shared rules are in {@link SealedWorkContract}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class PartsApiTest extends SealedWorkContract {
  @Override
  protected String kind() {
    return "part";
  }

  @Override
  protected String path() {
    return "/api/parts";
  }

  @Override
  protected String plural() {
    return "parts";
  }

  @Override
  protected JsonObject content(String text) {
    return critic().put("notes", text);
  }

  static JsonObject critic() {
    return new JsonObject().put("name", "The Critic").put("role", "manager")
        .put("belief", "If I stop pushing, everything falls apart.").put("bodySense", "tight jaw")
        .put("feelingToward", "curious").put("fears", "being found lacking").put("needs", "rest").put("notes", "first met in May");
  }

  @Override
  protected Map<String, Object> contentFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    critic().forEach(e -> fields.put(e.getKey(), e.getValue()));
    return fields;
  }

  @Test
  void theClientOpensEveryFieldItSavedAndTheServerKeepsNoneOfThem() {
    Api alice = server.register("Alice");
    String id = newId();
    var r = alice.savePart(id, critic(), null);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject opened = alice.openPart(r.bodyAsJsonObject());
    critic().forEach(e -> assertEquals(e.getValue(), opened.getValue(e.getKey()), e.getKey()));
    String dump = server.dumpDatabase();
    assertFalse(dump.contains("If I stop pushing"), "the belief is sealed");
    assertFalse(dump.contains("\"role\":\"manager\""), "even the role is sealed now");
    assertEquals(new JsonArray().add(r.bodyAsJsonObject()), alice.get("/api/parts").bodyAsJsonObject().getJsonArray("parts"));
  }
}
