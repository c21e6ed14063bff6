package dev.bridgework.followup;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.SealedWorkContract;
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

/**
 * Follow-ups and offers to oneself ({@code /api/followups}, docs/PRIVATE-WORK.md): a private
 * collection like parts, sealed with AAD {@code followup/<id>}, its due date inside the envelope.
 * The shared rules (owner only, sealed, versions, events, export, erasure) are in {@link SealedWorkContract}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class FollowupApiTest extends SealedWorkContract {
  @Override
  protected String kind() {
    return "followup";
  }

  @Override
  protected String path() {
    return "/api/followups";
  }

  @Override
  protected String plural() {
    return "followups";
  }

  @Override
  protected JsonObject content(String text) {
    return new JsonObject().put("type", "offer").put("text", text).put("dueAt", "2026-02-01T09:00:00.000Z")
        .put("done", false).put("reflectionId", "7f1c0c1e-4f7a-4a51-9a0a-2d5b8e6f0a11")
        .put("exerciseId", "data-to-be-heard").put("stepId", "offer-yourself");
  }

  @Override
  protected Map<String, Object> contentFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", "In the clear");
    fields.put("dueAt", "2026-02-01T09:00:00.000Z");
    fields.put("done", true);
    fields.put("type", "offer");
    return fields;
  }

  @Test
  void theDueDateAndTheOfferAreSealedAndMarkingItDoneIsAnUpdate() {
    Api alice = server.register("Alice");
    String id = newId();
    var r = alice.put(url(id), body(alice, id, content("Ten quiet minutes with tea."), null));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String stored = stored(id).encode();
    assertFalse(stored.contains("Ten quiet minutes"), stored);
    assertFalse(stored.contains("2026-02-01"), "the due date is sealed too: " + stored);
    var done = alice.put(url(id), body(alice, id, content("Ten quiet minutes with tea.").put("done", true), 1));
    assertEquals(200, done.statusCode(), done.bodyAsString());
    assertEquals(2, done.bodyAsJsonObject().getInteger("version"));
    assertEquals(true, alice.open("followup", id, done.bodyAsJsonObject().getJsonObject("sealed")).getBoolean("done"));
  }
}
