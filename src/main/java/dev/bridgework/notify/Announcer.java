package dev.bridgework.notify;

import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.realtime.Stream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Watches the couple streams (an {@code EventLog} append listener, so it runs after the event was
 * stored and before it is published): records who did what in the joint space (for the unread
 * markers), queues the partner's email according to their settings, and cancels pending email when
 * what it announces is withdrawn. Only three things announce anything: a new share, a reply, and a
 * review changed by the partner; never anything from the {@code self} stream (private work).
 */
final class Announcer {
  /** A response whose createdAt is this close to its event is new; older ones in the same share were edited. */
  private static final Duration NEW_RESPONSE = Duration.ofMinutes(1);

  private final NotifyStore store;
  private final Outbox outbox;
  private final CoupleRepository couples;
  private final Clock clock;
  private final Duration instantDelay;
  private final byte[] markKey;

  Announcer(NotifyStore store, Outbox outbox, CoupleRepository couples, Clock clock, Duration instantDelay, byte[] masterKey) {
    this.store = store;
    this.outbox = outbox;
    this.couples = couples;
    this.clock = clock;
    this.instantDelay = instantDelay;
    this.markKey = UnsubscribeTokens.hmac(masterKey, "bridgework/review-marks/v1".getBytes(StandardCharsets.UTF_8));
  }

  Future<Void> appended(Stream stream, JsonObject event) {
    if (!Stream.COUPLE.equals(stream.type())) return Future.succeededFuture();
    String coupleId = stream.key();
    long seq = event.getLong("seq");
    JsonObject data = event.getJsonObject("data", new JsonObject());
    return switch (event.getString("kind")) {
      case "share.created" -> announce(coupleId, seq, Set.of(data.getString("authorId")), "share", data.getString("id"), null);
      case "response.created" -> announce(coupleId, seq, newResponders(data, event.getString("at")), "reply", data.getString("id"), null);
      case "share.withdrawn" -> withdrawn(coupleId, data.getString("id"));
      case "review.started" -> remember(coupleId, data)
          .compose(v -> announce(coupleId, seq, Set.of(data.getString("startedBy")), "review", null, data.getString("id")));
      case "review.updated" -> changedBy(coupleId, data)
          .compose(actors -> announce(coupleId, seq, actors, "review", null, data.getString("id")));
      case "review.closed" -> store.updateCouple(coupleId,
          new JsonObject().put("$unset", new JsonObject().put("marks." + data.getString("id"), "")));
      default -> Future.succeededFuture();
    };
  }

  private static Set<String> newResponders(JsonObject share, String at) {
    Instant eventAt = Instant.parse(at);
    Set<String> actors = new HashSet<>();
    for (Object o : share.getJsonArray("responses", new JsonArray())) {
      JsonObject r = (JsonObject) o;
      Instant created = Instant.parse(r.getString("createdAt"));
      if (!created.isBefore(eventAt.minus(NEW_RESPONSE))) actors.add(r.getString("authorId"));
    }
    return actors;
  }

  private Future<Void> announce(String coupleId, long seq, Set<String> actors, String kind, String shareId, String reviewId) {
    if (actors.isEmpty()) return Future.succeededFuture();
    // The couple as this node has it cached: its members change only by a join or a dissolution, which forget it.
    return couples.cachedCouple(coupleId).compose(couple -> {
      if (couple == null) return Future.succeededFuture();
      List<Future<Void>> steps = new ArrayList<>();
      for (String actor : actors) {
        if (!couple.hasMember(actor)) continue;
        steps.add(store.addActivity(coupleId, new JsonObject().put("seq", seq).put("actor", actor).put("kind", kind)
            .put("shareId", shareId).put("reviewId", reviewId)));
        String recipient = couple.partnerOf(actor);
        if (recipient != null && !actors.contains(recipient)) steps.add(queue(couple, recipient, seq, kind, shareId, reviewId));
      }
      return Future.all(steps).mapEmpty();
    });
  }

  /** Queues the recipient's email as they chose: soon (outside quiet hours), in tonight's digest, or not at all. */
  private Future<Void> queue(Couple couple, String recipient, long seq, String kind, String shareId, String reviewId) {
    return store.person(recipient).compose(person -> {
      NotificationSettings s = NotificationSettings.fromDocument(person.getJsonObject("settings"));
      Instant now = clock.instant();
      JsonObject item = new JsonObject().put("kind", kind).put("seq", seq).put("shareId", shareId).put("reviewId", reviewId);
      JsonObject fields = new JsonObject().put("userId", recipient).put("coupleId", couple.id()).put("type", kind)
          .put("seq", seq).put("shareId", shareId).put("reviewId", reviewId);
      return switch (s.email()) {
        case "instant" -> outbox.enqueue(Sender.entryId(kind, shareId != null ? shareId : reviewId, recipient), fields,
            Schedule.outsideQuiet(now.plus(instantDelay), s).toEpochMilli(), null);
        case "digest" -> outbox.enqueue("digest:" + recipient,
            new JsonObject().put("userId", recipient).put("coupleId", couple.id()).put("type", "digest"),
            Schedule.nextDigest(now, s).toEpochMilli(), new JsonObject().put("items", item));
        default -> Future.succeededFuture();
      };
    });
  }

  /** A withdrawn share: its pending emails go, its unread marker goes, its receipts go. */
  private Future<Void> withdrawn(String coupleId, String shareId) {
    // The couple as this node has it cached: its members change only by a join or a dissolution, which forget it.
    return couples.cachedCouple(coupleId).compose(couple -> {
      List<Future<Void>> steps = new ArrayList<>();
      if (couple != null) {
        List<String> emails = new ArrayList<>();
        for (String member : couple.memberIds()) {
          emails.add(Sender.entryId("share", shareId, member));
          emails.add(Sender.entryId("reply", shareId, member));
          steps.add(outbox.pull("digest:" + member, new JsonObject().put("shareId", shareId)));
        }
        steps.add(outbox.cancel(emails));
      }
      steps.add(store.updateCouple(coupleId, new JsonObject()
          .put("$pull", new JsonObject().put("activity", new JsonObject().put("shareId", shareId)))
          .put("$unset", new JsonObject().put("opened." + shareId, ""))));
      return Future.all(steps).mapEmpty();
    });
  }

  // --- who changed a review: each member's notes and ready flag, kept as a keyed fingerprint (never the text) ---

  private Map<String, String> fingerprints(JsonObject review) {
    Map<String, StringBuilder> per = new TreeMap<>();
    JsonObject ready = review.getJsonObject("ready", new JsonObject());
    for (String member : ready.fieldNames()) per.computeIfAbsent(member, k -> new StringBuilder()).append(ready.getValue(member)).append('|');
    for (Object o : review.getJsonArray("agenda", new JsonArray())) {
      JsonObject item = (JsonObject) o;
      JsonObject notes = item.getJsonObject("notes", new JsonObject());
      for (String member : notes.fieldNames()) {
        per.computeIfAbsent(member, k -> new StringBuilder()).append(item.getString("shareId")).append('=')
            .append(notes.getValue(member)).append('|');
      }
    }
    Map<String, String> out = new TreeMap<>();
    per.forEach((member, text) -> out.put(member, Base64.getUrlEncoder().withoutPadding().encodeToString(
        UnsubscribeTokens.hmac(markKey, text.toString().getBytes(StandardCharsets.UTF_8)))));
    return out;
  }

  private Future<Void> remember(String coupleId, JsonObject review) {
    return store.updateCouple(coupleId, rememberUpdate(review, fingerprints(review)));
  }

  private static JsonObject rememberUpdate(JsonObject review, Map<String, String> fingerprints) {
    return new JsonObject().put("$set", new JsonObject().put("marks." + review.getString("id"), new JsonObject(new TreeMap<>(fingerprints))));
  }

  /**
   * The members whose notes or ready flag differ from the fingerprints remembered last time, which
   * are replaced in the same command. It is sent deferred: the activity recorded next for those
   * members makes it durable; when nobody changed anything, the store's next commit does (lost in
   * a crash before it, the same change is only attributed once more).
   */
  private Future<Set<String>> changedBy(String coupleId, JsonObject review) {
    Map<String, String> now = fingerprints(review);
    return store.updateCoupleBeforeDeferred(coupleId, rememberUpdate(review, now)).map(doc -> {
      JsonObject before = doc.getJsonObject("marks", new JsonObject()).getJsonObject(review.getString("id"), new JsonObject());
      Set<String> changed = new HashSet<>();
      Set<String> members = new HashSet<>(now.keySet());
      members.addAll(before.fieldNames());
      for (String m : members) {
        if (!java.util.Objects.equals(now.get(m), before.getString(m))) changed.add(m);
      }
      return changed;
    });
  }
}
