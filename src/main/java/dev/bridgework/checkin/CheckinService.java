package dev.bridgework.checkin;

import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.SelfEvents;
import dev.bridgework.storage.OwnedCollection;
import dev.bridgework.storage.Vault;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;

/**
 * Quick check-ins (emotions and an intensity), logged any time. Emotions, intensity and note are
 * sealed in the owner's browser; only the time stays in clear, so a range can be queried.
 *
 * <p>Check-ins take {@code version} like the other private resources, but the contract does not ask
 * clients for it: without one, a change to an existing check-in simply replaces it (a check-in is a
 * small, single-author record); with one, a stale version is a 409.
 */
public final class CheckinService {
  static final String COLLECTION = "checkins";

  private final OwnedCollection checkins;
  private final SelfEvents events;
  private final Clock clock;

  public CheckinService(MongoClient mongo, Vault vault, EventLog events, Clock clock) {
    // Legacy check-ins kept their intensity in clear; sealing them again moves it into the envelope.
    this.checkins = new OwnedCollection(mongo, vault, clock, COLLECTION, "checkin", List.of("at"), List.of("intensity"));
    this.events = new SelfEvents(events, this.checkins, "checkin.saved", "checkin.deleted");
    this.clock = clock;
  }

  public OwnedCollection collection() {
    return checkins;
  }

  public Future<Void> createIndexes() {
    return checkins.createIndexes(List.of(new JsonObject().put("ownerId", 1).put("at", -1).put("_id", -1)));
  }

  Future<OwnedCollection.Saved> saveCheckin(String ownerId, String id, CheckinInput input) {
    return checkins.save(ownerId, id, input.version(), false, stored -> {
      String at = input.at() != null ? Times.format(input.at())
          : stored != null ? stored.getString("at")
          : Times.format(clock.instant());
      return Future.succeededFuture(input.content(at));
    }).compose(saved -> events.saved(id).map(saved));
  }

  /** One of the owner's check-ins; anyone else's, or one that is gone, is a 404. */
  Future<JsonObject> checkin(String ownerId, String id) {
    return checkins.find(ownerId, id).map(item -> {
      if (item == null) throw ApiException.notFound();
      return item;
    });
  }

  /** Deletes one of the owner's check-ins and tells their other devices ({@code checkin.deleted}). */
  Future<Void> deleteCheckin(String ownerId, String id) {
    return events.delete(ownerId, id).compose(deleted -> deleted ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.notFound()));
  }

  /**
   * {@code {checkins:[...]}} with {@code from <= at < to}, newest first. Times are stored at
   * millisecond precision, so both bounds round up to the next millisecond to stay exact.
   */
  Future<JsonObject> listCheckins(String ownerId, Instant from, Instant to) {
    String gte = from == null ? null : Times.format(ceilMillis(from));
    String lt = to == null ? null : Times.format(ceilMillis(to));
    Predicate<JsonObject> inRange = doc -> {
      String at = doc.getString("at", "");
      return (gte == null || at.compareTo(gte) >= 0) && (lt == null || at.compareTo(lt) < 0);
    };
    return checkins.list(ownerId, inRange, OwnedCollection.newestFirst("at"), 0)
        .map(list -> new JsonObject().put("checkins", new JsonArray(list)));
  }

  private static Instant ceilMillis(Instant i) {
    Instant truncated = i.truncatedTo(ChronoUnit.MILLIS);
    return truncated.equals(i) ? i : truncated.plusMillis(1);
  }

  public Future<JsonArray> exportOf(String userId) {
    return checkins.exportOf(userId);
  }

  public Future<Void> eraseAll(String userId) {
    return checkins.eraseAll(userId);
  }
}
