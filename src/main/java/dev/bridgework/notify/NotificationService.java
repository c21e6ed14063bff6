package dev.bridgework.notify;

import dev.bridgework.auth.UserRepository;
import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.couple.JointSpaceListener;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Stream;
import dev.bridgework.share.Share;
import dev.bridgework.share.ShareService;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Staying in touch (issue #16): what each person has seen (the same on every device), the unread
 * markers computed from the joint space's activity, opt-in seen receipts, the person's own
 * reminders, and their email choices. Emails themselves are queued by {@link Announcer} and sent by
 * {@link Sender}.
 */
public final class NotificationService implements JointSpaceListener {
  private final NotifyStore store;
  private final Outbox outbox;
  private final EventLog events;
  private final CoupleRepository couples;
  private final ShareService shares;
  private final Clock clock;
  private final UnsubscribeTokens tokens;
  private final Announcer announcer;
  private final Mailer mailer;
  private final Sender sender;
  private final NotifyConfig config;
  private final HeldReminders heldReminders;
  private final PersonEvents personEvents;
  private final Vertx vertx;
  private long timer = -1;

  public NotificationService(Vertx vertx, MongoClient mongo, NotifyConfig config, EventLog events, CoupleRepository couples,
                             ShareService shares, UserRepository users, Clock clock, byte[] masterKey) {
    this.vertx = vertx;
    this.config = config;
    this.store = new NotifyStore(mongo, events.deferredWrites());
    this.outbox = new Outbox(mongo);
    this.events = events;
    this.couples = couples;
    this.shares = shares;
    this.clock = clock;
    this.tokens = new UnsubscribeTokens(masterKey);
    this.announcer = new Announcer(store, outbox, couples, clock, config.instantDelay(), masterKey);
    this.mailer = new Mailer(vertx, config);
    this.sender = new Sender(outbox, store, mailer, tokens, users, couples, shares, clock);
    this.personEvents = new PersonEvents(store, events, clock);
    this.heldReminders = new HeldReminders(store, outbox, personEvents, clock);
    events.onAppend(announcer::appended);
  }

  public Future<Void> createIndexes() {
    return outbox.createIndexes();
  }

  /** Starts the periodic sender when email is configured. */
  public void start() {
    if (config.emailEnabled()) timer = vertx.setPeriodic(config.scanInterval().toMillis(), id -> sender.runDue());
  }

  /** Sends everything due now (the timer calls it; tests call it after moving the clock). */
  public Future<Void> runDue() {
    return sender.runDue();
  }

  public Future<Void> close() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return sender.idle().eventually(mailer::close);
  }

  /** The reminders of held things (the held feature sets and removes them). */
  public HeldReminders heldReminders() {
    return heldReminders;
  }

  /** An unsubscribe token for the person (the sender puts it in every email). */
  public String unsubscribeToken(String userId) {
    return tokens.tokenFor(userId);
  }

  // --- settings ---

  public Future<NotificationSettings> settings(String userId) {
    return store.person(userId).map(p -> NotificationSettings.fromDocument(p.getJsonObject("settings")));
  }

  public Future<NotificationSettings> saveSettings(String userId, JsonObject body) {
    return settings(userId).compose(current -> {
      NotificationSettings next = current.merge(body, true);
      return store.updatePerson(userId, new JsonObject().put("$set", new JsonObject().put("settings", next.toJson())))
          .compose(v -> scheduleCheckin(userId, next)).map(next);
    });
  }

  private Future<Void> scheduleCheckin(String userId, NotificationSettings s) {
    Instant next = Schedule.nextCheckin(clock.instant(), s);
    if (next == null || !"email".equals(s.checkin().channel())) return outbox.cancel("checkin:" + userId);
    return outbox.schedule("checkin:" + userId, new JsonObject().put("userId", userId).put("type", "checkin"),
        Schedule.outsideQuiet(next, s).toEpochMilli());
  }

  public boolean tokenValid(String token) {
    return tokens.userOf(token) != null;
  }

  /** One-click unsubscribe: a valid token turns every email off; anything else is a 404 and changes nothing. */
  public Future<Void> unsubscribe(String token) {
    String userId = tokens.userOf(token);
    if (userId == null) return Future.failedFuture(ApiException.notFound());
    return store.person(userId).compose(person -> {
      NotificationSettings off = NotificationSettings.fromDocument(person.getJsonObject("settings")).withoutEmail();
      JsonObject set = new JsonObject().put("settings", off.toJson());
      JsonObject reminders = person.getJsonObject("reminders", new JsonObject());
      for (String id : reminders.fieldNames()) set.put("reminders." + id + ".channel", "app");
      JsonObject held = person.getJsonObject(HeldReminders.FIELD, new JsonObject());
      for (String id : held.fieldNames()) set.put(HeldReminders.FIELD + "." + id + ".channel", "app");
      return store.updatePerson(userId, new JsonObject().put("$set", set))
          .compose(v -> outbox.cancel("checkin:" + userId))
          .compose(v -> outbox.cancel("digest:" + userId));
    });
  }

  // --- seen and unread ---

  /**
   * {@code PUT /api/me/seen}: the person has looked at the joint space up to {@code couple} (a seq
   * of the couple stream; it only ever moves forward), opened {@code opened} shares, or dealt with
   * the check-in reminder ({@code checkin}: true). Their other devices hear it as {@code seen.updated}.
   */
  public Future<JsonObject> markSeen(String userId, Couple couple, Long seq, List<String> opened, boolean checkin) {
    String now = Times.format(clock.instant());
    Future<Void> receipts = opened.isEmpty() || couple == null ? Future.succeededFuture() : recordOpened(userId, couple, opened, now);
    Future<Long> head = couple == null ? Future.succeededFuture(0L) : events.head(Stream.couple(couple.id()));
    String coupleId = couple == null ? null : couple.id();
    // A retry of a request whose event failed finds nothing to move, so what it owes is completed first.
    return receipts.compose(v -> head).compose(h -> personEvents.settled(userId).compose(person -> {
      JsonObject set = new JsonObject();
      long current = Sender.seenSeq(person, coupleId);
      // Never past the stream's head: a seq the stream has not reached yet would hide what comes next.
      Long upTo = seq == null ? null : Math.min(seq, h);
      boolean moved = couple != null && upTo != null && upTo > current;
      if (moved) set.put("seen", new JsonObject().put("coupleId", coupleId).put("seq", upTo));
      if (checkin) set.put("checkinSeenAt", now);
      if (set.isEmpty()) return Future.succeededFuture(seenOf(person, couple));
      // Their other devices hear it as seen.updated.
      return personEvents.update(userId, new JsonObject().put("$set", set), PersonEvents.SEEN, coupleId)
          .compose(v -> store.person(userId)).map(updated -> seenOf(updated, couple));
    }));
  }

  private static JsonObject seenOf(JsonObject person, Couple couple) {
    return PersonEvents.seenOf(person, couple == null ? null : couple.id());
  }

  private Future<Void> recordOpened(String userId, Couple couple, List<String> opened, String now) {
    return settings(userId).compose(s -> {
      if (!s.receipts()) return Future.succeededFuture(); // receipts off: nothing about opening is even kept
      return shares.sharesOf(couple.id()).compose(list -> {
        JsonObject set = new JsonObject();
        for (Share share : list) {
          if (opened.contains(share.id()) && !share.authorId().equals(userId)) set.put("opened." + share.id() + "." + userId, now);
        }
        return set.isEmpty() ? Future.succeededFuture() : store.couple(couple.id()).compose(doc -> {
          // The first opening counts; reopening does not move it.
          JsonObject had = doc.getJsonObject("opened", new JsonObject());
          for (String key : Set.copyOf(set.fieldNames())) {
            String[] parts = key.split("\\.");
            if (had.getJsonObject(parts[1], new JsonObject()).containsKey(parts[2])) set.remove(key);
          }
          return set.isEmpty() ? Future.succeededFuture() : store.updateCouple(couple.id(), new JsonObject().put("$set", set));
        });
      });
    });
  }

  /**
   * {@code GET /api/me/unread}: what the partner added since the person last looked: new shares,
   * replies and review changes, by id, with a count of distinct things.
   */
  public Future<JsonObject> unread(String userId, Couple couple) {
    return store.person(userId).compose(person -> {
      NotificationSettings s = NotificationSettings.fromDocument(person.getJsonObject("settings"));
      JsonObject reminders = dueReminders(person, s);
      if (couple == null) {
        return Future.succeededFuture(new JsonObject().put("count", 0).put("seen", 0).put("head", 0)
            .put("shares", new JsonArray()).put("replies", new JsonArray()).put("reviews", new JsonArray()).mergeIn(reminders));
      }
      long seen = Sender.seenSeq(person, couple.id());
      // The head is the one recorded with the activity, read in the same document: the stream's own head
      // moves before an event's activity is recorded, and a client marking "seen up to" it would skip that item.
      return store.couple(couple.id()).map(doc -> {
        long head = Math.max(seen, doc.getLong("head", 0L));
        Set<String> newShares = new LinkedHashSet<>();
        Set<String> replies = new LinkedHashSet<>();
        Set<String> reviews = new LinkedHashSet<>();
        for (Object o : doc.getJsonArray("activity", new JsonArray())) {
          JsonObject a = (JsonObject) o;
          if (a.getLong("seq") <= seen || userId.equals(a.getString("actor"))) continue;
          switch (a.getString("kind")) {
            case "share" -> newShares.add(a.getString("shareId"));
            case "reply" -> replies.add(a.getString("shareId"));
            case "review" -> reviews.add(a.getString("reviewId"));
            default -> { }
          }
        }
        replies.removeAll(newShares);
        int count = newShares.size() + replies.size() + reviews.size();
        return new JsonObject().put("count", count).put("seen", seen).put("head", head)
            .put("shares", new JsonArray(List.copyOf(newShares))).put("replies", new JsonArray(List.copyOf(replies)))
            .put("reviews", new JsonArray(List.copyOf(reviews))).mergeIn(reminders);
      });
    });
  }

  /** The person's own reminders that are due, for the quiet in-app notice (never anything of the partner's). */
  private JsonObject dueReminders(JsonObject person, NotificationSettings s) {
    Instant now = clock.instant();
    JsonArray due = new JsonArray();
    JsonObject reminders = person.getJsonObject("reminders", new JsonObject());
    for (String id : reminders.fieldNames()) {
      if (reminders.getJsonObject(id).getLong("dueAt") <= now.toEpochMilli()) due.add(id);
    }
    Instant last = Schedule.lastCheckin(now, s);
    String seenAt = person.getString("checkinSeenAt");
    boolean checkinDue = last != null && (seenAt == null || Instant.parse(seenAt).isBefore(last));
    JsonArray heldDue = new JsonArray();
    heldReminders.allOf(person).stream().filter(HeldReminders.Reminder::due).forEach(r -> heldDue.add(r.heldId()));
    return new JsonObject().put("remindersDue", due).put("checkinDue", checkinDue).put("heldDue", heldDue);
  }

  // --- receipts ---

  /**
   * {@code GET /api/me/receipts}: for the caller's own shares, when the partner first opened them;
   * only when both have receipts on ({@code enabled}), otherwise nothing.
   */
  public Future<JsonObject> receipts(String userId, Couple couple) {
    String partnerId = couple.partnerOf(userId);
    Future<Boolean> both = partnerId == null ? Future.succeededFuture(false)
        : settings(userId).compose(mine -> settings(partnerId).map(theirs -> mine.receipts() && theirs.receipts()));
    return both.compose(enabled -> {
      JsonObject answer = new JsonObject().put("enabled", enabled).put("receipts", new JsonArray());
      if (!enabled) return Future.succeededFuture(answer);
      return shares.sharesOf(couple.id()).compose(list -> store.couple(couple.id()).map(doc -> {
        JsonObject opened = doc.getJsonObject("opened", new JsonObject());
        for (Share share : list) {
          if (!share.authorId().equals(userId)) continue;
          String at = opened.getJsonObject(share.id(), new JsonObject()).getString(partnerId);
          if (at != null) answer.getJsonArray("receipts").add(new JsonObject().put("shareId", share.id()).put("openedAt", at));
        }
        return answer;
      }));
    });
  }

  // --- the person's own reminders ---

  /** {@code PUT /api/me/reminders/{id}}: a due date the client chose to tell, and nothing else. */
  public Future<JsonObject> saveReminder(String userId, String id, Instant dueAt, String channel) {
    // Ids are chosen by clients, so they are claimed once (unique _id): someone else's id is a 404.
    return store.claimReminderId(id, userId).compose(mine -> {
      if (!mine) throw ApiException.notFound();
      return store.person(userId);
    }).compose(person -> {
      JsonObject reminders = person.getJsonObject("reminders", new JsonObject());
      if (!reminders.containsKey(id) && reminders.size() >= NotifyStore.MAX_REMINDERS) {
        throw ApiException.invalid("id", "You have " + NotifyStore.MAX_REMINDERS + " reminders, the most there can be.");
      }
      boolean created = !reminders.containsKey(id);
      long due = dueAt.toEpochMilli();
      JsonObject stored = new JsonObject().put("dueAt", due).put("channel", channel);
      NotificationSettings s = NotificationSettings.fromDocument(person.getJsonObject("settings"));
      return store.updatePerson(userId, new JsonObject().put("$set", new JsonObject().put("reminders." + id, stored)))
          .compose(v -> "email".equals(channel)
              ? outbox.schedule("reminder:" + userId + ":" + id, new JsonObject().put("userId", userId).put("type", "reminder")
                  .put("reminderId", id).put("remindAt", due), Schedule.outsideQuiet(dueAt, s).toEpochMilli())
              : outbox.cancel("reminder:" + userId + ":" + id))
          .map(v -> reminderJson(id, stored).put("created", created));
    });
  }

  public Future<JsonObject> reminders(String userId) {
    return store.person(userId).map(person -> {
      JsonObject reminders = person.getJsonObject("reminders", new JsonObject());
      JsonArray list = new JsonArray();
      reminders.fieldNames().stream().sorted().forEach(id -> list.add(reminderJson(id, reminders.getJsonObject(id))));
      return new JsonObject().put("reminders", list);
    });
  }

  public Future<Void> deleteReminder(String userId, String id) {
    return store.person(userId).compose(person -> {
      if (!person.getJsonObject("reminders", new JsonObject()).containsKey(id)) throw ApiException.notFound();
      return store.updatePerson(userId, new JsonObject().put("$unset", new JsonObject().put("reminders." + id, "")))
          .compose(v -> store.releaseReminderId(id, userId))
          .compose(v -> outbox.cancel("reminder:" + userId + ":" + id));
    });
  }

  private static JsonObject reminderJson(String id, JsonObject stored) {
    return new JsonObject().put("id", id).put("dueAt", Times.format(Instant.ofEpochMilli(stored.getLong("dueAt"))))
        .put("channel", stored.getString("channel"));
  }

  // --- the joint space ends ---

  @Override
  public Future<Void> shareWithdrawn(String coupleId, String shareId) {
    return Future.succeededFuture(); // handled from the share.withdrawn event (Announcer)
  }

  @Override
  public Future<Void> coupleDissolved(String coupleId) {
    return store.removeCouple(coupleId); // pending emails find the couple gone when due and are dropped
  }

  /**
   * Account deletion: the person's choices, seen state, reminders (and their claimed ids) and every
   * pending email addressed to them go, including the due-index entries naming them. Runs after the
   * couple was dissolved, so the couple's activity and receipts are already gone with it.
   */
  public Future<Void> eraseAll(String userId) {
    return outbox.eraseUser(userId)
        .compose(v -> store.releaseReminderIds(userId))
        .compose(v -> store.removePerson(userId));
  }
}
