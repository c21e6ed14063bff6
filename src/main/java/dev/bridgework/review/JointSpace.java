package dev.bridgework.review;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What the review feature needs from the couple and share features, and nothing more: who the
 * caller is paired with, and the couple's shares as the partners see them. Wired in {@code app}
 * on top of {@code CoupleService} and {@code ShareService}, so this package does not depend on
 * their internals.
 */
public interface JointSpace {
  /** The caller's couple (id and members with display names), or null when not paired. */
  Future<Couple> coupleOf(String userId);

  /**
   * Every share of the couple, decrypted, as the contract's {@code share} JSON ({@code id,
   * authorId, title, excerpts, note, intent, counseling, responses, createdAt, ...}); withdrawn
   * shares are gone.
   */
  Future<List<JsonObject>> sharesOf(String coupleId);

  /**
   * A review was closed at {@code at}: the {@code discussed} shares are marked discussed and
   * unflagged, the {@code carriedOver} ones stay flagged (shares gone meanwhile are skipped).
   */
  default Future<Void> reviewClosed(String coupleId, List<String> discussed, List<String> carriedOver, String at) {
    return Future.succeededFuture(); // a joint space with no shares to mark (test doubles); app wires the real one
  }

  /** One share of the couple as {@link #sharesOf} shows it, or null: reads (and decrypts) that share only. */
  default Future<JsonObject> shareOf(String coupleId, String shareId) {
    return sharesOf(coupleId).map(all -> all.stream().filter(s -> shareId.equals(s.getString("id"))).findFirst().orElse(null));
  }

  record Couple(String id, List<Brief.Member> members) {
    public Couple {
      members = List.copyOf(members);
    }

    public boolean hasMember(String userId) {
      return members.stream().anyMatch(m -> m.id().equals(userId));
    }
  }
}
