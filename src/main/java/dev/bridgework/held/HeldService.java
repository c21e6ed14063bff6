package dev.bridgework.held;

import dev.bridgework.notify.HeldReminders;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.SelfEvents;
import dev.bridgework.storage.OwnedCollection;
import dev.bridgework.storage.Vault;
import dev.bridgework.web.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Held words: what a person is holding privately before it goes to their partner, sealed in their
 * browser with AAD {@code held/<id>} (docs/PROMPTS.md): an answer to a couple prompt being drafted
 * ({@code {type:"prompt", promptId, answers}}), or a share they chose to hold until they feel
 * calmer ({@code {type:"share", share:{…}}}). A private collection like parts: the
 * server stores only the envelope and tells no one but its owner's own devices
 * ({@code held.saved}, {@code held.deleted}, {@code held.reminder} on the self stream).
 * "Remind me later" is only a time, kept in the clear by the notification feature
 * ({@link HeldReminders}) and shown on each item as {@code reminder}; it goes with the item.
 */
public final class HeldService {
  static final String COLLECTION = "held";

  private final OwnedCollection held;
  private final SelfEvents events;
  private final HeldReminders reminders;

  public HeldService(MongoClient mongo, Vault vault, EventLog events, Clock clock, HeldReminders reminders) {
    this.held = new OwnedCollection(mongo, vault, clock, COLLECTION, "held", List.of(), List.of());
    this.events = new SelfEvents(events, this.held, "held.saved", "held.deleted");
    this.reminders = reminders;
  }

  public OwnedCollection collection() {
    return held;
  }

  public Future<Void> createIndexes() {
    return held.createIndexes(List.of(new JsonObject().put("ownerId", 1).put("createdAt", -1).put("_id", -1)));
  }

  Future<OwnedCollection.Saved> save(String ownerId, String id, HeldInput input) {
    return held.save(ownerId, id, input.version(), true, stored -> Future.succeededFuture(input.content()))
        .compose(saved -> events.saved(id).map(saved));
  }

  Future<JsonObject> item(String ownerId, String id) {
    return existing(ownerId, id).compose(item -> reminders.of(ownerId, id).map(r -> withReminder(item, r)));
  }

  private Future<JsonObject> existing(String ownerId, String id) {
    return held.find(ownerId, id).map(item -> {
      if (item == null) throw ApiException.notFound();
      return item;
    });
  }

  Future<JsonObject> list(String ownerId) {
    return held.list(ownerId, doc -> true, OwnedCollection.newestFirst("createdAt"), 0)
        .compose(list -> reminders.all(ownerId).map(all -> {
          Map<String, HeldReminders.Reminder> byId = all.stream()
              .collect(Collectors.toMap(HeldReminders.Reminder::heldId, Function.identity()));
          JsonArray out = new JsonArray();
          list.forEach(item -> out.add(withReminder(item, byId.get(item.getString("id")))));
          return new JsonObject().put("held", out);
        }));
  }

  /** Deleting (sent, or let go) takes its reminder with it, so it neither shows nor emails any more. */
  Future<Void> delete(String ownerId, String id) {
    // The reminder is looked for in the caller's own record even when the item is already gone (a
    // deletion that stopped half-way is finished by its retry); where there is none, nothing is written.
    return events.delete(ownerId, id).compose(deleted -> reminders.delete(ownerId, id, false).compose(had -> deleted
        ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ApiException.notFound())));
  }

  /** {@code PUT /api/held/{id}/reminder}: sets or moves the reminder of the caller's own held item. */
  Future<HeldReminders.Saved> remind(String ownerId, String id, Instant dueAt, String channel) {
    return existing(ownerId, id).compose(item -> reminders.save(ownerId, id, dueAt, channel));
  }

  /** {@code DELETE /api/held/{id}/reminder}: keeps holding, without a reminder; 404 when there is none. */
  Future<Void> forget(String ownerId, String id) {
    return existing(ownerId, id).compose(item -> reminders.delete(ownerId, id, true)).compose(had -> {
      if (!had) throw ApiException.notFound();
      return Future.<Void>succeededFuture();
    });
  }

  private static JsonObject withReminder(JsonObject item, HeldReminders.Reminder r) {
    return item.copy().put("reminder", r == null ? null : r.toJson());
  }

  public Future<JsonArray> exportOf(String userId) {
    return held.exportOf(userId);
  }

  public Future<Void> eraseAll(String userId) {
    return held.eraseAll(userId);
  }
}
