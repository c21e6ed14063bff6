package dev.bridgework.reflection;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.SealedWorkContract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.testing.Checks.assertInvalid;
import static dev.bridgework.testing.Checks.selfHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reflections: sealed by the client ({@code sealed} opens to {@code {answers}}); the server keeps the
 * exercise and the status in the clear and checks them. The shared rules are in {@link SealedWorkContract}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ReflectionApiTest extends SealedWorkContract {
  /** mirror-recent-moment: what-happened (text), what-you-felt (emotions), how-strong (scale 0..10), ... */
  static final String MIRROR = "mirror-recent-moment";

  @Override
  protected String kind() {
    return "reflection";
  }

  @Override
  protected String path() {
    return "/api/reflections";
  }

  @Override
  protected String plural() {
    return "reflections";
  }

  @Override
  protected JsonObject content(String text) {
    return new JsonObject().put("answers", answers(text));
  }

  static JsonObject answers(String text) {
    return new JsonObject().put("what-happened", text)
        .put("what-you-felt", new JsonArray().add("lonely").add("a feeling of my own")).put("how-strong", 7);
  }

  @Override
  protected JsonObject clearFields() {
    return new JsonObject().put("exerciseId", MIRROR).put("status", "draft");
  }

  @Override
  protected Map<String, Object> contentFields() {
    return Map.of("answers", new JsonObject().put("what-happened", "In the clear."));
  }

  @Test
  void theClientOpensTheAnswersItSaved() {
    Api alice = server.register("Alice");
    String id = newId();
    var r = alice.saveReflection(id, MIRROR, answers("We ate dinner in silence."), "complete", null);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject opened = alice.openReflection(r.bodyAsJsonObject());
    assertEquals(answers("We ate dinner in silence."), opened.getJsonObject("answers"));
    assertEquals("complete", opened.getString("status"));
    assertEquals(MIRROR, opened.getString("exerciseId"));
    JsonObject list = alice.get("/api/reflections").bodyAsJsonObject();
    assertTrue(list.containsKey("next"));
    assertNull(list.getValue("next"));
    assertFalse(stored(id).containsKey("answers"));
  }

  @Test
  void theExerciseMustExistAndTheStatusIsDraftOrComplete() {
    Api alice = server.register("Alice");
    String id = newId();
    JsonObject good = alice.reflectionBody(id, MIRROR, answers("x"), "draft", null);
    String put = "/api/reflections/" + id;
    assertInvalid(alice.put(put, good.copy().put("exerciseId", "no-such-exercise")), "exerciseId");
    assertInvalid(alice.put(put, good.copy().put("exerciseId", 12)), "exerciseId");
    assertInvalid(alice.put(put, good.copy().putNull("exerciseId")), "exerciseId");
    assertInvalid(alice.put(put, without(good, "exerciseId")), "exerciseId");
    assertInvalid(alice.put(put, good.copy().put("status", "finished")), "status");
    assertInvalid(alice.put(put, good.copy().putNull("status")), "status");
    assertInvalid(alice.put(put, without(good, "status")), "status");
    assertNull(stored(id));
    assertEquals(0, selfHead(server, alice.id()));
    assertEquals(201, alice.put(put, good).statusCode());
  }

  @Test
  void aReflectionStaysWithItsExercise() {
    Api alice = server.register("Alice");
    String id = newId();
    assertEquals(201, alice.saveReflection(id, MIRROR, answers("Mirror."), "draft", null).statusCode());
    assertInvalid(alice.saveReflection(id, "free-blank-page", new JsonObject(), "draft", 1), "exerciseId");
    assertEquals(MIRROR, stored(id).getString("exerciseId"));
    assertEquals(1L, stored(id).getLong("version"));
  }
}
