package dev.bridgework.couple;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A joint space of one or two people. {@link #toJson()} is the contract's {@code couple}; the
 * stored document also remembers the live invite's hash and whether a dissolution is under way.
 */
public record Couple(String id, List<Member> members, String createdAt, String inviteId, Long dissolvingAt) {

  public record Member(String id, String displayName) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("displayName", displayName);
    }

    static Member fromJson(JsonObject json) {
      return new Member(json.getString("id"), json.getString("displayName"));
    }
  }

  public boolean hasMember(String userId) {
    return members.stream().anyMatch(m -> m.id().equals(userId));
  }

  public boolean isFull() {
    return members.size() >= 2;
  }

  public boolean isDissolving() {
    return dissolvingAt != null;
  }

  public List<String> memberIds() {
    return members.stream().map(Member::id).toList();
  }

  /** The other member's id, or null while the caller is alone. */
  public String partnerOf(String userId) {
    return members.stream().map(Member::id).filter(id -> !id.equals(userId)).findFirst().orElse(null);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    members.forEach(m -> list.add(m.toJson()));
    return new JsonObject().put("id", id).put("members", list).put("createdAt", createdAt);
  }

  static Couple fromDocument(JsonObject doc) {
    List<Member> members = doc.getJsonArray("members", new JsonArray()).stream()
        .map(o -> Member.fromJson((JsonObject) o)).toList();
    return new Couple(doc.getString("_id"), members, doc.getString("createdAt"), doc.getString("inviteId"),
        doc.getLong("dissolvingAt"));
  }

  JsonObject toDocument() {
    JsonArray list = new JsonArray();
    members.forEach(m -> list.add(m.toJson()));
    return new JsonObject().put("_id", id).put("members", list).put("createdAt", createdAt)
        .put("inviteId", inviteId).put("dissolvingAt", dissolvingAt);
  }
}
