package dev.bridgework.review;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a counseling brief shows, and nothing more: the two partners' names, the date, and
 * the agenda items in order, each with its share (the contract's {@code share} JSON, decrypted) and
 * the partners' notes on it. Built by {@link #of} from the review and the couple's shares;
 * rendered by {@link BriefRenderer}. Private work never reaches this record.
 */
public record Brief(List<Member> members, LocalDate date, List<Item> items) {
  public record Member(String id, String displayName) {}

  /** One agenda item: the share as shared, and each partner's note on it (userId → text). */
  public record Item(JsonObject share, Map<String, String> notes) {
    public Item {
      share = share.copy();
      notes = Map.copyOf(notes);
    }
  }

  public Brief {
    members = List.copyOf(members);
    items = List.copyOf(items);
  }

  /** The brief of a review: only the agenda's shares, in agenda order; a share that no longer exists is left out. */
  static Brief of(JointSpace.Couple couple, Review review, List<JsonObject> shares) {
    Map<String, JsonObject> byId = new HashMap<>();
    shares.forEach(s -> byId.put(s.getString("id"), s));
    List<Item> items = new ArrayList<>();
    for (Review.AgendaItem item : review.agenda()) {
      JsonObject share = byId.get(item.shareId());
      if (share != null) items.add(new Item(share, item.notes()));
    }
    LocalDate date = LocalDate.ofInstant(Instant.parse(review.createdAt()), ZoneOffset.UTC);
    return new Brief(couple.members(), date, items);
  }

  /** A member's display name; a departed or unknown author is shown neutrally. */
  String nameOf(String userId) {
    return members.stream().filter(m -> m.id().equals(userId)).map(Member::displayName).findFirst().orElse("A partner");
  }

  /** "Alice & Bob" (or the one name while alone). */
  String names() {
    return String.join(" & ", members.stream().map(Member::displayName).toList());
  }
}
