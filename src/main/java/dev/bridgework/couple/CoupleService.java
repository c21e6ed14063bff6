package dev.bridgework.couple;

import com.mongodb.MongoException;
import dev.bridgework.auth.Throttle;
import dev.bridgework.auth.UserRepository;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Stream;
import dev.bridgework.storage.PendingEvents;
import dev.bridgework.storage.Vault;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Pairing and leaving (PRODUCT.md step 3). A couple is created by one person, who gets a one-time
 * invite code; the other joins with it. Either can leave at any time, which dissolves the joint
 * space for both and erases everything in it.
 */
public final class CoupleService {
  /** A dissolution that started longer ago than this is assumed dead (its node crashed) and is taken over. */
  static final Duration DISSOLUTION_TAKEOVER = Duration.ofMinutes(1);
  /** A membership younger than this whose couple does not list the user yet may be a join in flight. */
  static final Duration MEMBERSHIP_SETTLE = Duration.ofMinutes(1);

  private final CoupleRepository repo;
  private final UserRepository users;
  private final Vault vault;
  private final EventLog events;
  private final Throttle joinThrottle;
  private final Throttle joinAddressThrottle;
  private final Clock clock;
  private final Duration inviteTtl;
  private final EventBus bus;
  private final List<JointSpaceListener> listeners;
  private final WordsKeeper keeper;
  private final InviteCodes codes = new InviteCodes();

  public CoupleService(CoupleRepository repo, UserRepository users, Vault vault, EventLog events, Throttle joinThrottle,
                       Throttle joinAddressThrottle, Clock clock, Duration inviteTtl, EventBus bus, List<JointSpaceListener> listeners,
                       WordsKeeper keeper) {
    this.repo = repo;
    this.users = users;
    this.vault = vault;
    this.events = events;
    this.joinThrottle = joinThrottle;
    this.joinAddressThrottle = joinAddressThrottle;
    this.clock = clock;
    this.inviteTtl = inviteTtl;
    this.bus = bus;
    this.listeners = List.copyOf(listeners);
    this.keeper = keeper;
    events.outbox().register(CoupleRepository.COUPLES, (docId, doc, mark) -> Future.succeededFuture(EventLog.Rendered.of(
        doc == null ? new JsonObject().put("id", docId) : Couple.fromDocument(doc).toJson())));
  }

  /** Who ended the joint space, and how: {@code left} (DELETE /api/couple) or {@code deleted} (their account). */
  record Departure(String userId, String reason) {}

  static ApiException notPaired() {
    return ApiException.conflict("not_paired", "You are not in a joint space yet.");
  }

  static ApiException alreadyPaired() {
    return ApiException.conflict("already_paired", "You are already in a joint space. Leave it first to start or join another.");
  }

  static ApiException coupleFull() {
    return ApiException.conflict("couple_full", "This joint space already has two people.");
  }

  static ApiException invalidInvite() {
    return new ApiException(404, "invalid_invite", "That invite code is not valid. Codes work once and expire; ask for a new one.");
  }

  /** The user's couple, or null when not paired (a couple being dissolved counts as gone). */
  public Future<Couple> coupleOf(String userId) {
    return current(userId).map(c -> c == null || c.isDissolving() ? null : c);
  }

  /** The couple the user's membership points at, if that couple lists them, dissolving or not. */
  private Future<Couple> current(String userId) {
    return repo.coupleIdOf(userId)
        .compose(id -> id == null ? Future.<Couple>succeededFuture(null) : repo.findCouple(id))
        .map(c -> c != null && c.hasMember(userId) ? c : null);
  }

  /** POST /api/couple: a new joint space with the caller as its first member, and its invite. */
  public Future<JsonObject> create(String userId) {
    return settled(userId).compose(existing -> {
      if (existing != null) return Future.failedFuture(alreadyPaired());
      return users.findById(userId);
    }).compose(user -> {
      if (user == null) return Future.failedFuture(ApiException.unauthenticated());
      InviteCodes.Code code = codes.generate();
      Couple couple = new Couple(Ids.random(), List.of(new Couple.Member(user.id(), user.displayName())),
          Times.format(clock.instant()), code.hash(), null);
      // The couple document goes first: a crash before the membership leaves an unreachable empty
      // couple rather than a membership pointing nowhere.
      return repo.insertCouple(couple)
          .compose(v -> claimMembership(userId, couple.id())
              .recover(e -> repo.removeCouple(couple.id()).transform(r -> Future.failedFuture(e))))
          .compose(v -> storeInvite(code, couple.id(), userId))
          .map(invite -> {
            publishMembership(userId, couple.id());
            return new JsonObject().put("couple", couple.toJson()).put("invite", invite);
          });
    });
  }

  /** POST /api/couple/invite: a fresh code, replacing the previous one. */
  public Future<JsonObject> newInvite(String userId) {
    return coupleOf(userId).compose(couple -> {
      if (couple == null) return Future.failedFuture(notPaired());
      if (couple.isFull()) return Future.failedFuture(coupleFull());
      InviteCodes.Code code = codes.generate();
      return storeInvite(code, couple.id(), userId).compose(invite -> repo.swapInvite(couple.id(), code.hash())
          .compose(before -> {
            if (before == null) {
              return repo.removeInvite(code.hash()).compose(v -> Future.<JsonObject>failedFuture(coupleFull()));
            }
            return repo.removeInvite(before.inviteId()).map(new JsonObject().put("invite", invite));
          }));
    });
  }

  /**
   * POST /api/couple/join. Every kind of bad code answers the same and counts towards the throttles:
   * one attempt is counted per user and per client address before the code is even looked at
   * (increment, then decide, in one atomic operation each), so concurrent guesses cannot slip past
   * the limit. A join that succeeds clears the user's count and gives the address its attempt back;
   * one refused for another reason (already paired, couple full) gives both back.
   */
  public Future<Couple> join(String userId, String typedCode, String address) {
    String userKey = "join:" + userId;
    String addressKey = address == null ? null : "join:address:" + address;
    return joinThrottle.attempt(userKey).compose(wait -> {
      if (wait > 0) return Future.failedFuture(ApiException.rateLimited(wait));
      if (addressKey == null) return Future.succeededFuture();
      return joinAddressThrottle.attempt(addressKey).compose(addressWait -> addressWait == 0 ? Future.<Void>succeededFuture()
          : joinThrottle.refund(userKey).transform(ignored -> Future.failedFuture(ApiException.rateLimited(addressWait))));
    }).compose(v -> joinCounted(userId, typedCode).transform(ar -> {
      if (ar.succeeded()) {
        Future<Void> refund = addressKey == null ? Future.succeededFuture() : joinAddressThrottle.refund(addressKey);
        return Future.all(joinThrottle.reset(userKey), refund).map(ar.result());
      }
      if (ar.cause() instanceof ApiException api && "invalid_invite".equals(api.code())) return Future.failedFuture(api);
      Future<Void> refund = addressKey == null ? Future.succeededFuture() : joinAddressThrottle.refund(addressKey);
      return Future.all(joinThrottle.refund(userKey), refund).transform(ignored -> Future.failedFuture(ar.cause()));
    }));
  }

  private Future<Couple> joinCounted(String userId, String typedCode) {
    return settled(userId).compose(existing -> {
      if (existing != null) return Future.failedFuture(alreadyPaired());
      String normalized = InviteCodes.normalize(typedCode);
      if (normalized == null) return failedJoin();
      String hash = InviteCodes.hash(normalized);
      return repo.claimInvite(hash, userId, clock.millis()).compose(invite -> invite == null
          ? failedJoin()
          : enter(userId, invite.getString("coupleId"), hash));
    });
  }

  private Future<Couple> failedJoin() {
    return Future.failedFuture(invalidInvite());
  }

  /** Adds the user to the couple whose invite they just claimed. */
  private Future<Couple> enter(String userId, String coupleId, String inviteHash) {
    return repo.findCouple(coupleId).compose(couple -> {
      if (couple == null || couple.isDissolving()) {
        return repo.removeInvite(inviteHash).compose(v -> failedJoin());
      }
      if (couple.isFull()) return Future.failedFuture(coupleFull());
      return users.findById(userId).compose(user -> {
        if (user == null) return Future.failedFuture(ApiException.unauthenticated());
        PendingEvents.Mark mark = events.outbox().pending().mark(Stream.COUPLE, coupleId, "couple.joined");
        return claimMembership(userId, coupleId)
            // Not the code's fault: give it back so the partner's code still works.
            .recover(e -> repo.releaseInvite(inviteHash, userId).transform(r -> Future.failedFuture(e)))
            .compose(v -> events.outbox().pending().register(CoupleRepository.COUPLES, coupleId, mark))
            .compose(v -> repo.addMember(coupleId, new Couple.Member(user.id(), user.displayName()), mark))
            .compose(joined -> {
              if (joined == null) {
                return events.outbox().pending().unlist(mark.op())
                    .compose(v -> repo.removeMembership(userId, coupleId)).compose(v -> Future.<Couple>failedFuture(coupleFull()));
              }
              return repo.removeInvite(inviteHash)
                  .compose(v -> events.outbox().settle(CoupleRepository.COUPLES, coupleId))
                  .map(event -> {
                    joined.memberIds().forEach(id -> publishMembership(id, coupleId));
                    return joined;
                  });
            });
      });
    });
  }

  /**
   * Records that the user belongs to the couple. The unique {@code _id = userId} decides races; a
   * membership left behind by a crash (its couple gone, or a join that never completed) is replaced.
   */
  private Future<Void> claimMembership(String userId, String coupleId) {
    long now = clock.millis();
    return repo.insertMembership(userId, coupleId, now).recover(e -> {
      if (!isDuplicate(e)) return Future.failedFuture(e);
      return repo.findMembership(userId).compose(m -> {
        if (m == null) return repo.insertMembership(userId, coupleId, now);
        String other = m.getString("coupleId");
        return repo.findCouple(other).compose(c -> {
          boolean stale = c == null
              || (!c.hasMember(userId) && m.getLong("since", 0L) < now - MEMBERSHIP_SETTLE.toMillis());
          if (!stale) return Future.failedFuture(alreadyPaired());
          return repo.removeMembership(userId, other).compose(v -> repo.insertMembership(userId, coupleId, now));
        });
      }).recover(e2 -> Future.failedFuture(isDuplicate(e2) ? alreadyPaired() : e2));
    });
  }

  private static boolean isDuplicate(Throwable e) {
    return e instanceof MongoException m && m.getCode() == 11000;
  }

  private Future<JsonObject> storeInvite(InviteCodes.Code code, String coupleId, String userId) {
    Instant expires = clock.instant().plus(inviteTtl);
    String expiresAt = Times.format(expires);
    return repo.insertInvite(code.hash(), coupleId, userId, expires.toEpochMilli(), expiresAt)
        .map(v -> new JsonObject().put("code", code.display()).put("expiresAt", expiresAt));
  }

  /**
   * The user's couple before creating or joining; a dissolution that died half-way is finished
   * first, so nobody stays stuck in a joint space that is no longer there.
   */
  private Future<Couple> settled(String userId) {
    return current(userId).compose(couple -> {
      if (couple == null || !couple.isDissolving()) return Future.succeededFuture(couple);
      long now = clock.millis();
      if (couple.dissolvingAt() >= now - DISSOLUTION_TAKEOVER.toMillis()) return Future.succeededFuture(couple);
      return repo.startDissolving(couple.id(), now, now - DISSOLUTION_TAKEOVER.toMillis())
          .compose(claimed -> claimed == null ? Future.succeededFuture() : erase(claimed, null))
          .map((Couple) null);
    });
  }

  /** DELETE /api/couple: dissolves the joint space for both, erasing everything in it. */
  public Future<Void> dissolve(String userId) {
    return current(userId).compose(couple -> {
      if (couple == null) return Future.failedFuture(notPaired());
      return dissolveCouple(couple, new Departure(userId, "left"));
    });
  }

  private Future<Void> dissolveCouple(Couple couple, Departure departure) {
    long now = clock.millis();
    // Only one dissolution runs at a time (the partner may press "leave" at the same moment);
    // the other caller's request is answered once that one has been claimed.
    return repo.startDissolving(couple.id(), now, now - DISSOLUTION_TAKEOVER.toMillis())
        .compose(claimed -> claimed == null ? Future.succeededFuture() : erase(claimed, departure));
  }

  /**
   * The erasure, in an order that keeps every step retryable: the numbered {@code couple.dissolved}
   * event first (the stream's last, so open sockets learn of it), then each partner's own words are
   * kept for them (not the words of one who deleted their account), then every feature's data, the
   * stream itself, the invites, the couple's data key (whatever a crash left behind is unreadable
   * without it), and only then the memberships that let a member retry. The partner who stays is
   * told who left and when. {@code departure} is null when a dissolution that died half-way is finished.
   */
  private Future<Void> erase(Couple couple, Departure departure) {
    String id = couple.id();
    Stream stream = Stream.couple(id);
    String at = Times.format(clock.instant());
    JsonObject by = departure == null ? null : couple.members().stream().filter(m -> m.id().equals(departure.userId()))
        .findFirst().map(m -> new JsonObject().put("id", m.id()).put("displayName", m.displayName())).orElse(null);
    JsonObject dissolved = new JsonObject().put("id", id).put("by", by)
        .put("reason", departure == null ? null : departure.reason()).put("at", at);
    java.util.Set<String> keepers = new java.util.HashSet<>(couple.memberIds());
    if (departure != null && "deleted".equals(departure.reason())) keepers.remove(departure.userId());
    return dissolvedOnce(stream, dissolved)
        .compose(e -> keeper.keepOwnWords(couple, keepers))
        .compose(v -> inTurn(listeners, l -> l.coupleDissolved(id)))
        .compose(v -> events.erase(stream))
        .compose(v -> repo.removeInvitesOf(id))
        .compose(v -> vault.destroyCoupleKey(id))
        .compose(v -> repo.removeMembershipsOf(id, couple.memberIds()))
        .compose(v -> repo.removeCouple(id))
        .compose(v -> by == null ? Future.succeededFuture() : tellWhoStays(couple, departure, by, at))
        .onSuccess(v -> couple.memberIds().forEach(m -> publishMembership(m, null)));
  }

  /**
   * The stream's last event, once, however often a dissolution that died half-way is taken over:
   * its op is the couple's (so a number taken for it is reused), and once stored it is the head.
   */
  private Future<Void> dissolvedOnce(Stream stream, JsonObject dissolved) {
    String op = "dissolved-" + stream.key();
    return events.head(stream).compose(head -> head == 0 ? Future.succeededFuture(List.<JsonObject>of()) : events.read(stream, head, head))
        .compose(last -> {
          if (!last.isEmpty() && "couple.dissolved".equals(last.get(0).getString("kind"))) return Future.succeededFuture();
          return events.appendOnce(stream, "couple.dissolved", seq -> Future.succeededFuture(EventLog.Rendered.of(dissolved)), op,
              () -> Future.succeededFuture(true)).mapEmpty();
        });
  }

  private Future<Void> tellWhoStays(Couple couple, Departure departure, JsonObject by, String at) {
    JsonObject ending = new JsonObject().put("partnerName", by.getString("displayName"))
        .put("reason", departure.reason()).put("at", at);
    return Future.all(couple.memberIds().stream().filter(m -> !m.equals(departure.userId()))
        .map(m -> users.setEnding(m, ending)).toList()).mapEmpty();
  }

  static <T> Future<Void> inTurn(List<T> items, java.util.function.Function<T, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) chain = chain.compose(v -> step.apply(item));
    return chain;
  }

  /** Tells the real-time gateway to re-subscribe the user's open sockets (ARCHITECTURE.md "Components"). */
  private void publishMembership(String userId, String coupleId) {
    bus.publish("bw.user." + userId, new JsonObject().put("type", "membership").put("coupleId", coupleId));
  }

  /** For the account export: the joint space the user belongs to, or null. */
  public Future<JsonObject> exportOf(String userId) {
    return coupleOf(userId).map(c -> new JsonObject().put("couple", c == null ? null : c.toJson()));
  }

  /** For account deletion: dissolves the user's couple, if any. */
  public Future<Void> eraseAll(String userId) {
    return current(userId).compose(couple -> couple == null ? Future.succeededFuture()
        : dissolveCouple(couple, new Departure(userId, "deleted")));
  }
}
