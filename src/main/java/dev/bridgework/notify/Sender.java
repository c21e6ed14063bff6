package dev.bridgework.notify;

import dev.bridgework.auth.UserRepository;
import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.share.ShareService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Sends what is due: reads the due buckets from the cursor to now (exact ids, see {@link Outbox}),
 * claims each entry with a lease, checks that it still means something (the share is still there,
 * the person has not seen it in the app meanwhile, still wants email), sends it, and deletes it. A
 * failed send is retried with exponential backoff (1, 2, 4 … minutes, at most 6 hours) and dropped
 * after {@value #MAX_ATTEMPTS} attempts.
 */
final class Sender {
  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);
  static final int MAX_ATTEMPTS = 12;
  /** Longer than one SMTP exchange takes; a node that dies mid-send leaves the entry to others after this. */
  static final Duration LEASE = Duration.ofMinutes(2);
  /** At most one day of buckets per scan, so a server that was off for long catches up in steps. */
  private static final int MAX_MINUTES = 24 * 60;

  private final Outbox outbox;
  private final NotifyStore store;
  private final Mailer mailer;
  private final UnsubscribeTokens tokens;
  private final UserRepository users;
  private final CoupleRepository couples;
  private final ShareService shares;
  private final Clock clock;
  private final String node = UUID.randomUUID().toString();
  private Future<Void> running = Future.succeededFuture();

  Sender(Outbox outbox, NotifyStore store, Mailer mailer, UnsubscribeTokens tokens, UserRepository users,
         CoupleRepository couples, ShareService shares, Clock clock) {
    this.outbox = outbox;
    this.store = store;
    this.mailer = mailer;
    this.tokens = tokens;
    this.users = users;
    this.couples = couples;
    this.clock = clock;
    this.shares = shares;
  }

  static String entryId(String kind, String subjectId, String recipient) {
    return kind + ":" + subjectId + ":" + recipient;
  }

  /** One pass over everything due now; passes never overlap on one node (others are kept apart by leases). */
  synchronized Future<Void> runDue() {
    Future<Void> next = running.transform(ignored -> scan());
    running = next;
    return next;
  }

  /** Waits for a pass in progress (a clean shutdown finishes the send it started). */
  synchronized Future<Void> idle() {
    return running.transform(ignored -> Future.succeededFuture());
  }

  private Future<Void> scan() {
    Instant now = clock.instant();
    long nowMinute = Outbox.minute(now.toEpochMilli());
    return outbox.cursor().compose(cursor -> {
      if (cursor == null || cursor > nowMinute) return Future.succeededFuture();
      long to = Math.min(nowMinute, cursor + MAX_MINUTES - 1);
      return outbox.buckets(cursor, to).compose(buckets -> {
        Future<Long> chain = Future.succeededFuture(to + 1);
        for (JsonObject bucket : buckets) {
          chain = chain.compose(firstLeft -> processBucket(bucket, now).map(left -> {
            long minute = Long.parseLong(bucket.getString("_id").substring(2));
            return left ? Math.min(firstLeft, minute) : firstLeft;
          }));
        }
        // The cursor moves to the oldest bucket that still holds work (or past the scanned range).
        return chain.compose(firstLeft -> outbox.advanceCursor(cursor, Math.min(firstLeft, nowMinute)));
      });
    }).recover(e -> {
      LOG.warn("Notification scan failed; the next one continues: {}", e.toString());
      return Future.succeededFuture();
    });
  }

  /** Answers whether the bucket still lists entries that are not finished (leased by another node). */
  private Future<Boolean> processBucket(JsonObject bucket, Instant now) {
    List<String> ids = bucket.getJsonArray("ids", new JsonArray()).stream().map(String::valueOf).toList();
    List<String> finished = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> process(id, now).map(done -> {
        if (done) finished.add(id);
        return null;
      }));
    }
    return chain.compose(v -> outbox.drain(bucket.getString("_id"), finished)).map(v -> finished.size() < ids.size());
  }

  /** True when this bucket no longer needs to list the entry (sent, dropped, or moved to a later bucket). */
  private Future<Boolean> process(String id, Instant now) {
    return outbox.claim(id, now, LEASE.toMillis(), node).compose(entry -> {
      if (entry == null) {
        // Gone, due later (it is in that bucket too), or leased by a node that is sending it now.
        return outbox.find(id).map(doc -> doc == null || doc.getLong("dueAt") > now.toEpochMilli());
      }
      return deliver(entry, now).compose(sent -> finish(entry, now)).map(true)
          .recover(e -> {
            int attempts = entry.getInteger("attempts", 0) + 1;
            if (attempts >= MAX_ATTEMPTS) {
              LOG.error("Giving up on notification {} after {} attempts: {}", id, attempts, e.toString());
              return outbox.done(id, node).map(true);
            }
            long backoff = Math.min(Duration.ofHours(6).toMillis(), Duration.ofMinutes(1).toMillis() << (attempts - 1));
            LOG.warn("Sending notification {} failed (attempt {}), retrying in {} s: {}", id, attempts, backoff / 1000, e.toString());
            return outbox.retry(id, node, now.toEpochMilli() + backoff).map(true);
          });
    });
  }

  /** After sending (or deciding not to): a check-in rhythm is scheduled again, anything else is done. */
  private Future<Void> finish(JsonObject entry, Instant now) {
    if (!"checkin".equals(entry.getString("type"))) return outbox.done(entry.getString("_id"), node);
    return store.person(entry.getString("userId")).compose(person -> {
      NotificationSettings s = NotificationSettings.fromDocument(person.getJsonObject("settings"));
      Instant next = Schedule.nextCheckin(now, s);
      if (next == null || !"email".equals(s.checkin().channel())) return outbox.done(entry.getString("_id"), node);
      return outbox.schedule(entry.getString("_id"), new JsonObject().put("userId", entry.getString("userId")).put("type", "checkin"),
          Schedule.outsideQuiet(next, s).toEpochMilli());
    });
  }

  /** Sends the entry's email if it still has something to say; answers whether one went out. */
  private Future<Boolean> deliver(JsonObject entry, Instant now) {
    String userId = entry.getString("userId");
    return users.findById(userId).compose(user -> user == null ? Future.succeededFuture(false)
        : store.person(userId).compose(person -> compose(entry, person).compose(email -> {
          if (email == null) return Future.succeededFuture(false);
          return mailer.send(user.email(), email, tokens.tokenFor(userId), entry.getString("_id") + "@" + node)
              .map(true);
        })));
  }

  private Future<Emails.Email> compose(JsonObject entry, JsonObject person) {
    NotificationSettings s = NotificationSettings.fromDocument(person.getJsonObject("settings"));
    String type = entry.getString("type");
    switch (type) {
      case "reminder": {
        JsonObject r = person.getJsonObject("reminders", new JsonObject()).getJsonObject(entry.getString("reminderId"));
        boolean still = r != null && "email".equals(r.getString("channel")) && r.getLong("dueAt").equals(entry.getLong("remindAt"));
        return Future.succeededFuture(still ? Emails.reminder() : null);
      }
      case HeldReminders.TYPE:
        return Future.succeededFuture(HeldReminders.stillWanted(person, entry, s) ? Emails.held() : null);
      case "checkin":
        return Future.succeededFuture("email".equals(s.checkin().channel()) && !"off".equals(s.checkin().every()) ? Emails.checkin() : null);
      default:
        break;
    }
    if ("never".equals(s.email())) return Future.succeededFuture(null);
    long seen = seenSeq(person, entry.getString("coupleId"));
    return couples.findCouple(entry.getString("coupleId")).compose(couple -> {
      if (couple == null || !couple.hasMember(entry.getString("userId"))) return Future.succeededFuture(null);
      String partner = partnerName(couple, entry.getString("userId"));
      if ("digest".equals(type)) return digest(entry, couple, seen);
      if (entry.getLong("seq") <= seen) return Future.succeededFuture(null); // already seen in the app
      return switch (type) {
        case "share" -> stillShared(couple, entry.getString("shareId")).map(ok -> ok ? Emails.share(partner) : null);
        case "reply" -> stillShared(couple, entry.getString("shareId")).map(ok -> ok ? Emails.reply(partner) : null);
        case "review" -> Future.succeededFuture(Emails.review(partner));
        default -> Future.succeededFuture(null);
      };
    });
  }

  private Future<Emails.Email> digest(JsonObject entry, Couple couple, long seen) {
    return shares.sharesOf(couple.id()).map(list -> {
      Set<String> present = new java.util.HashSet<>();
      list.forEach(share -> present.add(share.id()));
      Set<String> newShares = new java.util.HashSet<>();
      Set<String> replied = new java.util.HashSet<>();
      boolean review = false;
      for (Object o : entry.getJsonArray("items", new JsonArray())) {
        JsonObject item = (JsonObject) o;
        if (item.getLong("seq") <= seen) continue;
        String shareId = item.getString("shareId");
        switch (item.getString("kind")) {
          case "share" -> { if (present.contains(shareId)) newShares.add(shareId); }
          case "reply" -> { if (present.contains(shareId)) replied.add(shareId); }
          case "review" -> review = true;
          default -> { }
        }
      }
      replied.removeAll(newShares);
      if (newShares.isEmpty() && replied.isEmpty() && !review) return null;
      return Emails.digest(newShares.size(), replied.size(), review ? 1 : 0);
    });
  }

  private Future<Boolean> stillShared(Couple couple, String shareId) {
    return shares.find(couple.id(), shareId).map(share -> share != null);
  }

  static long seenSeq(JsonObject person, String coupleId) {
    JsonObject seen = person.getJsonObject("seen");
    return seen != null && coupleId != null && coupleId.equals(seen.getString("coupleId")) ? seen.getLong("seq", 0L) : 0L;
  }

  private static String partnerName(Couple couple, String userId) {
    String partnerId = couple.partnerOf(userId);
    return couple.members().stream().filter(m -> m.id().equals(partnerId)).map(Couple.Member::displayName)
        .findFirst().orElse("Your partner");
  }
}
