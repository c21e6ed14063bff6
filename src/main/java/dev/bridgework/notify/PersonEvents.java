package dev.bridgework.notify;

import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Stream;
import dev.bridgework.storage.PendingEvents;
import dev.bridgework.storage.PendingEvents.Mark;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;

/**
 * The events a person's own devices hear about their {@code notify_people} record, each exactly once
 * (docs/REALTIME.md "Exactly one event per change"): {@code seen.updated} (what they have looked
 * at) and {@code held.reminder} (a held item's reminder set, moved or removed). The change carries
 * its event's mark in the same update; the realtime outbox completes it once, in the request, in the
 * next request about the record ({@link #settled}) or in the sweep. The event says what is stored
 * when it is completed: ids, sequence numbers and times, never a word anyone wrote.
 */
final class PersonEvents {
  static final String SEEN = "seen.updated";
  static final String HELD = "held.reminder";

  private final NotifyStore store;
  private final dev.bridgework.realtime.Outbox outbox;

  PersonEvents(NotifyStore store, EventLog events, Clock clock) {
    this.store = store;
    this.outbox = events.outbox();
    outbox.register(NotifyStore.PEOPLE, (docId, doc, mark) -> {
      JsonObject person = doc == null ? new JsonObject() : doc;
      JsonObject data = HELD.equals(mark.kind())
          ? new JsonObject().put("id", mark.ref()).put("reminder", HeldReminders.reminderIn(person, mark.ref(), clock))
          : seenOf(person, mark.ref());
      return Future.succeededFuture(EventLog.Rendered.of(data));
    });
  }

  /** What {@code seen.updated} says: how far the person has looked at the couple {@code coupleId}, and the check-in. */
  static JsonObject seenOf(JsonObject person, String coupleId) {
    return new JsonObject().put("coupleId", coupleId).put("couple", Sender.seenSeq(person, coupleId))
        .put("checkinSeenAt", person.getString("checkinSeenAt"));
  }

  /** Applies {@code update} to the person's record (created if need be), owing {@code kind} about {@code ref}. */
  Future<Void> update(String userId, JsonObject update, String kind, String ref) {
    Mark mark = outbox.pending().mark(Stream.SELF, userId, kind, ref);
    JsonObject change = update.copy();
    change.put("$set", change.getJsonObject("$set", new JsonObject()).copy().mergeIn(mark.set()));
    return outbox.pending().register(NotifyStore.PEOPLE, userId, mark)
        .compose(v -> store.updatePerson(userId, change))
        .compose(v -> outbox.complete(NotifyStore.PEOPLE, userId, mark));
  }

  /** The person's record, after completing any event an earlier request left owed. */
  Future<JsonObject> settled(String userId) {
    return store.person(userId).compose(person -> PendingEvents.marksOf(person).isEmpty() ? Future.succeededFuture(person)
        : outbox.settle(NotifyStore.PEOPLE, userId).compose(v -> store.person(userId)));
  }
}
