package dev.bridgework.share;

import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.JsonBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The body of {@code PUT /api/shares/{id}}, validated field by field. */
public record ShareDraft(String reflectionId, String title, List<Share.Excerpt> excerpts, String note, String intent,
                         Long version) {
  static final Set<String> FIELDS = Set.of("reflectionId", "title", "excerpts", "note", "intent", "version");
  /** Set by the server; ignored when a client echoes a share back. */
  static final Set<String> SERVER_FIELDS = Set.of("id", "authorId", "createdAt", "updatedAt", "responses", "counseling", "discussedAt");
  static final Set<String> INTENTS = Set.of("listen", "respond", "discuss");
  static final int MAX_TITLE = 200;
  static final int MAX_EXCERPTS = 20;
  private static final Set<String> EXCERPT_FIELDS = Set.of("stepId", "text");

  static ShareDraft fromBody(JsonBody body) {
    String reflectionId = body.string("reflectionId", false, 1, 100);
    if (reflectionId != null) {
      if (!Ids.isUuid(reflectionId)) throw ApiException.invalid("reflectionId", "'reflectionId' must be the id of one of your reflections.");
      reflectionId = reflectionId.toLowerCase();
    }
    String title = body.string("title", true, 1, MAX_TITLE);
    JsonArray items = body.array("excerpts", true, 1, MAX_EXCERPTS);
    List<Share.Excerpt> excerpts = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String field = "excerpts[" + i + "]";
      if (!(items.getValue(i) instanceof JsonObject item)) throw ApiException.invalid(field, "'" + field + "' must be an object.");
      for (String name : item.fieldNames()) {
        if (!EXCERPT_FIELDS.contains(name)) throw ApiException.invalid(field + "." + name, "Unknown field '" + field + "." + name + "'.");
      }
      excerpts.add(new Share.Excerpt(text(item, "stepId", field + ".stepId", false, 100), text(item, "text", field + ".text", true, JsonBody.MAX_TEXT)));
    }
    String note = body.string("note", false, 0, JsonBody.MAX_TEXT);
    if (note != null && note.isBlank()) note = null; // an empty note field means "no note"
    String intent = body.oneOf("intent", true, INTENTS);
    return new ShareDraft(reflectionId, title, List.copyOf(excerpts), note, intent, body.version());
  }

  private static String text(JsonObject item, String name, String field, boolean required, int max) {
    Object v = item.getValue(name);
    if (v == null) {
      if (required) throw ApiException.invalid(field, "'" + field + "' is required.");
      return null;
    }
    if (!(v instanceof String s)) throw ApiException.invalid(field, "'" + field + "' must be a string.");
    JsonBody.checkText(field, s, 1, max);
    return s;
  }

  /** True when saving this would change nothing the author controls. */
  boolean sameContentAs(Share share) {
    return Objects.equals(reflectionId, share.reflectionId()) && title.equals(share.title())
        && excerpts.equals(share.excerpts()) && Objects.equals(note, share.note()) && intent.equals(share.intent());
  }
}
