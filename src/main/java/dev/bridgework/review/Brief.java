package dev.bridgework.review;

import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Everything a counseling brief shows, and nothing more: the two partners' names, the date, and
 * the agenda items in order, each with its share (the contract's {@code share} JSON, decrypted) and
 * the partners' notes on it. Built by {@link ReviewService} from the review and the couple's
 * shares; rendered by {@link BriefRenderer}. Private work never reaches this record.
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

  /** A member's display name; a departed or unknown author is shown neutrally. */
  String nameOf(String userId) {
    return members.stream().filter(m -> m.id().equals(userId)).map(Member::displayName).findFirst().orElse("A partner");
  }

  /** "Alice & Bob" (or the one name while alone). */
  String names() {
    return String.join(" & ", members.stream().map(Member::displayName).toList());
  }
}
