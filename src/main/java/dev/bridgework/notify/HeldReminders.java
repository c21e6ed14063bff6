package dev.bridgework.notify;

import dev.bridgework.web.ApiException;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * "Hold this and remind me later" (docs/PROMPTS.md, docs/NOTIFICATIONS.md): when the person wants to
 * be reminded of something they hold. Only a time and a channel, in the clear, in their own
 * {@code notify_people} document under {@code heldReminders.<heldId>}; the held words stay sealed in
 * the held feature. The held feature owns whether the item exists and is the caller's; this keeps
 * the time, shows it in the app once due, and emails "something you held is waiting" once per due
 * time when the channel is email and the person has not turned email off.
 */
public final class HeldReminders {
  static final String FIELD = "heldReminders";
  static final String TYPE = "held";

  private final NotifyStore store;
  private final Outbox outbox;
  private final PersonEvents events;
  private final Clock clock;

  HeldReminders(NotifyStore store, Outbox outbox, PersonEvents events, Clock clock) {
    this.store = store;
    this.outbox = outbox;
    this.events = events;
    this.clock = clock;
  }

  /** A held item's reminder as the API shows it. */
  public record Reminder(String heldId, Instant dueAt, String channel, boolean due) {
    public JsonObject toJson() {
      return new JsonObject().put("heldId", heldId).put("dueAt", Times.format(dueAt)).put("channel", channel).put("due", due);
    }
  }

  public record Saved(Reminder reminder, boolean created) {}

  static String entryId(String userId, String heldId) {
    return TYPE + ":" + userId + ":" + heldId;
  }

  /** Sets (or moves: snooze, reschedule) the reminder of a held item the caller owns. */
  public Future<Saved> save(String userId, String heldId, Instant dueAt, String channel) {
    return events.settled(userId).compose(person -> {
      JsonObject all = person.getJsonObject(FIELD, new JsonObject());
      if (!all.containsKey(heldId) && all.size() >= NotifyStore.MAX_REMINDERS) {
        throw ApiException.invalid("dueAt", "You have " + NotifyStore.MAX_REMINDERS + " reminders of held things, the most there can be.");
      }
      long due = dueAt.toEpochMilli();
      JsonObject stored = new JsonObject().put("dueAt", due).put("channel", channel);
      NotificationSettings s = NotificationSettings.fromDocument(person.getJsonObject("settings"));
      String entry = entryId(userId, heldId);
      // The owner's other devices hear it (held.reminder: a time, never a word).
      return events.update(userId, new JsonObject().put("$set", new JsonObject().put(FIELD + "." + heldId, stored)),
              PersonEvents.HELD, heldId)
          // A new time replaces the pending email (same id), so each due time is emailed at most once.
          .compose(v -> "email".equals(channel)
              ? outbox.schedule(entry, new JsonObject().put("userId", userId).put("type", TYPE).put("heldId", heldId)
                  .put("remindAt", due), Schedule.outsideQuiet(dueAt, s).toEpochMilli())
              : outbox.cancel(entry))
          .map(v -> new Saved(reminderOf(heldId, stored), !all.containsKey(heldId)));
    });
  }

  /**
   * Removes the reminder (sent, let go, or "keep holding" without one); answers whether there was
   * one. {@code announce}: the owner's other devices hear it ("keep holding"; a deleted item's
   * {@code held.deleted} says enough).
   */
  public Future<Boolean> delete(String userId, String heldId, boolean announce) {
    // Read first, so that asking about a reminder that is not there writes nothing at all.
    return events.settled(userId).compose(person -> {
      if (!person.getJsonObject(FIELD, new JsonObject()).containsKey(heldId)) return Future.succeededFuture(false);
      JsonObject update = new JsonObject().put("$unset", new JsonObject().put(FIELD + "." + heldId, ""));
      return (announce ? events.update(userId, update, PersonEvents.HELD, heldId) : store.updatePerson(userId, update))
          .compose(v -> outbox.cancel(entryId(userId, heldId))).map(true);
    });
  }

  /** The reminder of one held item, or null. */
  public Future<Reminder> of(String userId, String heldId) {
    return store.person(userId).map(person -> {
      JsonObject r = person.getJsonObject(FIELD, new JsonObject()).getJsonObject(heldId);
      return r == null ? null : reminderOf(heldId, r);
    });
  }

  /** Every reminder of the person's held items, soonest first. */
  public Future<List<Reminder>> all(String userId) {
    return store.person(userId).map(this::allOf);
  }

  List<Reminder> allOf(JsonObject person) {
    JsonObject all = person.getJsonObject(FIELD, new JsonObject());
    return all.fieldNames().stream().map(id -> reminderOf(id, all.getJsonObject(id)))
        .sorted(Comparator.comparing(Reminder::dueAt).thenComparing(Reminder::heldId)).toList();
  }

  private Reminder reminderOf(String heldId, JsonObject stored) {
    return reminderOf(heldId, stored, clock);
  }

  private static Reminder reminderOf(String heldId, JsonObject stored, Clock clock) {
    Instant dueAt = Instant.ofEpochMilli(stored.getLong("dueAt"));
    return new Reminder(heldId, dueAt, stored.getString("channel"), !dueAt.isAfter(clock.instant()));
  }

  /** The reminder of {@code heldId} in a person's record, as the API shows it, or null. */
  static JsonObject reminderIn(JsonObject person, String heldId, Clock clock) {
    JsonObject stored = heldId == null ? null : person.getJsonObject(FIELD, new JsonObject()).getJsonObject(heldId);
    return stored == null ? null : reminderOf(heldId, stored, clock).toJson();
  }

  /**
   * At send time: the email still means something only if the reminder is still there, still by
   * email, still at the time the entry was made for, and the person has not turned email off.
   */
  static boolean stillWanted(JsonObject person, JsonObject entry, NotificationSettings s) {
    JsonObject r = person.getJsonObject(FIELD, new JsonObject()).getJsonObject(entry.getString("heldId"));
    return r != null && "email".equals(r.getString("channel")) && r.getLong("dueAt").equals(entry.getLong("remindAt"))
        && !"never".equals(s.email());
  }
}
