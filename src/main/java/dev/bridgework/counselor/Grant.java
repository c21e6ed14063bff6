package dev.bridgework.counselor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Counselor access to one review of a couple (docs/COUNSELOR.md): proposed by one partner, active
 * once the other consents, until it is revoked or expires. The link's secret is held only as
 * {@code tokenHash}; it never appears here in clear and never leaves the server in any answer.
 *
 * <p>{@code status} is {@code pending}, {@code active}, {@code revoked} or {@code expired}. The
 * label ("Dr. Rivera") is couple data: stored sealed with the couple's key like shared text.
 * {@code opens} records when the counselor's view was opened and a coarse client description
 * ("Firefox on macOS"), never an address.
 */
public record Grant(String id, String coupleId, String reviewId, String label, String status, String proposedBy,
                    String consentedBy, String endedBy, String createdAt, String activatedAt, String endedAt,
                    Instant expiresAt, int days, String tokenHash, List<Open> opens) {
  public static final String PENDING = "pending";
  public static final String ACTIVE = "active";
  public static final String REVOKED = "revoked";
  public static final String EXPIRED = "expired";
  /** Only the newest openings are kept: enough to see the pattern, bounded in size. */
  static final int MAX_OPENS = 50;

  public record Open(String at, String client) {
    JsonObject toJson() {
      return new JsonObject().put("at", at).put("client", client);
    }
  }

  public Grant {
    opens = List.copyOf(opens);
  }

  public boolean isLive() {
    return PENDING.equals(status) || ACTIVE.equals(status);
  }

  public boolean isDue(Instant now) {
    return isLive() && !now.isBefore(expiresAt);
  }

  /** Usable by the counselor right now. */
  public boolean grantsAccess(Instant now) {
    return ACTIVE.equals(status) && now.isBefore(expiresAt);
  }

  /** What the partners see (and what the couple-stream events carry): never the token or its hash. */
  public JsonObject toJson() {
    JsonArray openList = new JsonArray();
    opens.forEach(o -> openList.add(o.toJson()));
    return new JsonObject().put("id", id).put("reviewId", reviewId).put("label", label).put("status", status)
        .put("days", days).put("proposedBy", proposedBy).put("consentedBy", consentedBy).put("endedBy", endedBy)
        .put("createdAt", createdAt).put("activatedAt", activatedAt).put("endedAt", endedAt)
        .put("expiresAt", dev.bridgework.web.Times.format(expiresAt)).put("opens", openList);
  }

  JsonObject toDocument(UnaryOperator<String> seal) {
    JsonArray openList = new JsonArray();
    opens.forEach(o -> openList.add(o.toJson()));
    return new JsonObject().put("_id", id).put("coupleId", coupleId).put("reviewId", reviewId)
        .put("label", label == null ? null : seal.apply(label)).put("status", status).put("days", days)
        .put("proposedBy", proposedBy).put("consentedBy", consentedBy).put("endedBy", endedBy)
        .put("createdAt", createdAt).put("activatedAt", activatedAt).put("endedAt", endedAt)
        .put("expiresAt", expiresAt.toEpochMilli()).put("tokenHash", tokenHash).put("opens", openList);
  }

  static Grant fromDocument(JsonObject doc, UnaryOperator<String> open) {
    List<Open> opens = new ArrayList<>();
    for (Object o : doc.getJsonArray("opens", new JsonArray())) {
      JsonObject j = (JsonObject) o;
      opens.add(new Open(j.getString("at"), j.getString("client")));
    }
    String label = doc.getString("label");
    return new Grant(doc.getString("_id"), doc.getString("coupleId"), doc.getString("reviewId"),
        label == null ? null : open.apply(label), doc.getString("status"), doc.getString("proposedBy"),
        doc.getString("consentedBy"), doc.getString("endedBy"), doc.getString("createdAt"), doc.getString("activatedAt"),
        doc.getString("endedAt"), Instant.ofEpochMilli(doc.getLong("expiresAt")), doc.getInteger("days", 0),
        doc.getString("tokenHash"), opens);
  }

  Grant activated(String by, String at) {
    return new Grant(id, coupleId, reviewId, label, ACTIVE, proposedBy, by, endedBy, createdAt, at, endedAt, expiresAt,
        days, tokenHash, opens);
  }

  Grant ended(String newStatus, String by, String at) {
    return new Grant(id, coupleId, reviewId, label, newStatus, proposedBy, consentedBy, by, createdAt, activatedAt, at,
        expiresAt, days, tokenHash, opens);
  }

  Grant opened(Open open) {
    List<Open> list = new ArrayList<>(opens);
    list.add(open);
    while (list.size() > MAX_OPENS) list.remove(0);
    return new Grant(id, coupleId, reviewId, label, status, proposedBy, consentedBy, endedBy, createdAt, activatedAt,
        endedAt, expiresAt, days, tokenHash, list);
  }
}
