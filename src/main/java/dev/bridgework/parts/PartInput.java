package dev.bridgework.parts;

import dev.bridgework.web.JsonBody;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * The body of {@code PUT /api/parts/{id}}: a part of the person's parts map. {@code name} is
 * required (1–100 characters), {@code role} optional, the rest optional text. A {@code PUT} replaces
 * the whole part, so an absent field is stored as null.
 */
record PartInput(JsonObject content, Long version) {
  static final Set<String> ROLES = Set.of("manager", "firefighter", "exile", "unsure");
  static final List<String> TEXT_FIELDS = List.of("belief", "bodySense", "feelingToward", "fears", "needs", "notes");
  /** The part's content fields in the order a part is shown. */
  static final List<String> FIELDS =
      List.of("name", "role", "belief", "bodySense", "feelingToward", "fears", "needs", "notes");
  private static final Set<String> ALLOWED = Set.of("name", "role", "belief", "bodySense", "feelingToward", "fears",
      "needs", "notes", "version");
  private static final Set<String> SERVER_FIELDS = Set.of("id", "createdAt", "updatedAt");

  static PartInput fromJson(JsonBody body) {
    String name = body.string("name", true, 1, 100);
    if (name.isBlank()) throw dev.bridgework.web.ApiException.invalid("name", "'name' must not be blank.");
    JsonObject content = new JsonObject().put("name", name).put("role", body.oneOf("role", false, ROLES));
    for (String field : TEXT_FIELDS) content.put(field, body.string(field, false, 0, JsonBody.MAX_TEXT));
    return new PartInput(content, body.version());
  }

  static Set<String> allowedFields() {
    return ALLOWED;
  }

  static Set<String> serverFields() {
    return SERVER_FIELDS;
  }
}
