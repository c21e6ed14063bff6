package dev.bridgework.counselor;

import dev.bridgework.auth.Throttle;
import dev.bridgework.couple.JointSpaceListener;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Outbox;
import dev.bridgework.realtime.Stream;
import dev.bridgework.review.BriefFile;
import dev.bridgework.review.JointSpace;
import dev.bridgework.review.ReviewService;
import dev.bridgework.storage.PendingEvents.Mark;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Counselor access (docs/COUNSELOR.md): read-only, time-limited, with both partners' consent.
 *
 * <p>One partner proposes access to one review; the answer carries the link's secret once, and
 * only its hash is stored. The grant works only after the other partner consents, and ends when
 * either revokes it, when it expires, or when the couple dissolves (which an account deletion
 * does). Every step is an event on the couple stream ({@code counselor.proposed},
 * {@code counselor.activated}, {@code counselor.revoked}, {@code counselor.expired},
 * {@code counselor.opened}; data = the grant), so both partners see it live and in history. Each
 * change carries its event's mark in the same write and the event is appended exactly once
 * through the outbox ({@link #announced}), also when the append fails after the write.
 *
 * <p>The counselor's view is built on every request from the review and the shares as they are
 * now, through the review feature's brief: a withdrawn share is gone from it at once, and nothing
 * but the brief's content ever reaches it.
 */
public final class CounselorService implements JointSpaceListener {
  private static final Logger LOG = LoggerFactory.getLogger(CounselorService.class);

  public static final String PROPOSED = "counselor.proposed";
  public static final String ACTIVATED = "counselor.activated";
  public static final String REVOKED = "counselor.revoked";
  public static final String EXPIRED = "counselor.expired";
  public static final String OPENED = "counselor.opened";

  static final int DEFAULT_DAYS = 14;
  static final int MAX_DAYS = 90;
  static final int MAX_LABEL = 100;
  /** Pending and active grants one couple may hold at once. */
  static final int MAX_LIVE = 10;
  /** Openings from the same kind of client closer together than this are one visit. */
  static final Duration SAME_VISIT = Duration.ofMinutes(30);
  /** Live channels one grant may hold open at once (a few tabs or devices of one counselor). */
  static final int MAX_CHANNELS = 4;
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

  private final GrantRepository repo;
  private final ReviewService reviews;
  private final Outbox outbox;
  private final Throttle wrongTokens;
  private final Clock clock;
  private final CounselorTokens tokens = new CounselorTokens();
  private final ConcurrentHashMap<String, AtomicInteger> channels = new ConcurrentHashMap<>();

  public CounselorService(io.vertx.ext.mongo.MongoClient mongo, dev.bridgework.storage.Vault vault, ReviewService reviews,
                          EventLog events, Throttle wrongTokens, Clock clock) {
    this.repo = new GrantRepository(mongo, vault);
    this.reviews = reviews;
    this.outbox = events.outbox();
    // Every change of a grant carries its event's mark; the event says what is stored when it is completed.
    outbox.register(GrantRepository.COLLECTION, (grantId, doc, mark) -> doc == null
        ? Future.succeededFuture(EventLog.Rendered.of(new JsonObject().put("id", grantId)))
        : repo.open(doc).map(grant -> EventLog.Rendered.of(grant.toJson())));
    this.wrongTokens = wrongTokens;
    this.clock = clock;
  }

  /** A new grant and its link secret, which exists in clear only in this answer. */
  public record Proposal(Grant grant, String token) {
    public JsonObject toJson() {
      return new JsonObject().put("grant", grant.toJson()).put("token", token)
          .put("path", "/counselor.html#" + token);
    }
  }

  /** A grant the counselor's token opens, with the couple it belongs to. */
  public record Access(Grant grant, JointSpace.Couple couple) {}

  public Future<Void> createIndexes() {
    return repo.createIndexes();
  }

  public Future<JointSpace.Couple> coupleOf(String userId) {
    return reviews.coupleOf(userId);
  }

  private String now() {
    return Times.format(clock.instant());
  }

  static ApiException grantEnded() {
    return ApiException.conflict("grant_ended", "This counselor access has ended; propose a new one if you both want it.");
  }

  // ------------------------------------------------------------------ the partners' side

  /** POST /api/counselor-grants: a pending grant for one of the couple's reviews, and its secret. */
  public Future<Proposal> propose(JointSpace.Couple couple, String userId, String reviewId, String label, int days) {
    return reviews.get(couple.id(), reviewId)
        .compose(review -> list(couple))
        .compose(existing -> {
          if (existing.stream().filter(Grant::isLive).count() >= MAX_LIVE) {
            return Future.failedFuture(ApiException.conflict("too_many_grants",
                "You already have " + MAX_LIVE + " counselor links waiting or active; revoke one first."));
          }
          String token = tokens.generate();
          Instant created = clock.instant();
          Grant grant = new Grant(Ids.random(), couple.id(), reviewId, label, Grant.PENDING, userId, null, null,
              Times.format(created), null, null, created.plus(Duration.ofDays(days)), days, CounselorTokens.hash(token), List.of());
          return announced(couple.id(), grant.id(), PROPOSED, mark -> repo.insert(grant, mark))
              .map(stored -> new Proposal(grant, token));
        });
  }

  /** GET /api/counselor-grants: the couple's grants, newest first (a grant whose time is up shows as expired). */
  public Future<List<Grant>> list(JointSpace.Couple couple) {
    return repo.findByCouple(couple.id())
        .compose(grants -> Future.all(grants.stream().map(this::expireIfDue).toList())
            .map(all -> all.<Grant>list().stream()
                .sorted(Comparator.comparing(Grant::createdAt).thenComparing(Grant::id).reversed()).toList()));
  }

  /** One grant of the couple; 404 for anything else. */
  public Future<Grant> get(JointSpace.Couple couple, String grantId) {
    return repo.find(grantId).compose(grant -> grant == null || !grant.coupleId().equals(couple.id())
        ? Future.failedFuture(ApiException.notFound())
        // An event a change of this grant still owes (its request failed after the write) is completed first.
        : outbox.settle(GrantRepository.COLLECTION, grantId).compose(v -> expireIfDue(grant)));
  }

  /**
   * Writes a change of grant {@code grantId} carrying the mark of its {@code kind} event, then
   * appends that event exactly once (docs/REALTIME.md "Exactly one event per change"): if the
   * append fails, the next request about this grant ({@link #get}) or the outbox's sweep completes
   * it. Answers the stored grant, or null when {@code write}'s guard did not hold (nothing changed).
   */
  private Future<Grant> announced(String coupleId, String grantId, String kind, Function<Mark, Future<Grant>> write) {
    Mark mark = outbox.pending().mark(Stream.COUPLE, coupleId, kind);
    return outbox.pending().register(GrantRepository.COLLECTION, grantId, mark)
        .compose(v -> write.apply(mark))
        .compose(stored -> stored == null ? outbox.pending().unlist(mark.op()).map((Grant) null)
            : outbox.complete(GrantRepository.COLLECTION, grantId, mark).map(stored));
  }

  /**
   * PUT /api/counselor-grants/{id}/consent: the partner who did not propose it makes it active. The
   * proposer cannot (403 {@code forbidden}); consenting again answers the active grant; an ended
   * grant is 409 {@code grant_ended}.
   */
  public Future<Grant> consent(JointSpace.Couple couple, String userId, String grantId) {
    return get(couple, grantId).compose(grant -> {
      if (grant.proposedBy().equals(userId)) {
        return Future.failedFuture(ApiException.forbidden("Your partner has to agree to this; you proposed it."));
      }
      if (Grant.ACTIVE.equals(grant.status())) return Future.succeededFuture(grant);
      if (!Grant.PENDING.equals(grant.status())) return Future.failedFuture(grantEnded());
      return announced(couple.id(), grantId, ACTIVATED, mark -> repo.transition(grant.activated(userId, now()), Grant.PENDING, mark))
          .compose(stored -> stored == null
              ? consent(couple, userId, grantId) // revoked or expired meanwhile: answer as that state says
              : Future.succeededFuture(stored));
    });
  }

  /** DELETE /api/counselor-grants/{id}: either partner ends it, at once; an ended grant stays as it is. */
  public Future<Grant> revoke(JointSpace.Couple couple, String userId, String grantId) {
    return get(couple, grantId).compose(grant -> {
      if (!grant.isLive()) return Future.succeededFuture(grant);
      return announced(couple.id(), grantId, REVOKED, mark -> repo.transition(grant.ended(Grant.REVOKED, userId, now()), grant.status(), mark))
          .compose(stored -> stored == null
              ? revoke(couple, userId, grantId) // consented or expired meanwhile: revoke what it is now
              : Future.succeededFuture(stored));
    });
  }

  /** Marks a grant whose time is up as expired (once, with its event); answers the grant as it is now. */
  Future<Grant> expireIfDue(Grant grant) {
    if (!grant.isDue(clock.instant())) return Future.succeededFuture(grant);
    Grant expired = grant.ended(Grant.EXPIRED, null, Times.format(grant.expiresAt()));
    return announced(grant.coupleId(), grant.id(), EXPIRED, mark -> repo.transition(expired, grant.status(), mark)).compose(stored -> {
      if (stored == null) return repo.find(grant.id()).map(again -> again == null ? expired : again);
      return Future.succeededFuture(stored);
    });
  }

  /** Expires every grant whose time is up (run now and then, so the event appears without anyone looking). */
  public Future<Void> sweep() {
    return repo.findDue(clock.instant())
        .compose(due -> Future.join(due.stream().map(this::expireIfDue).toList()))
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("Expiring counselor grants failed; will try again: {}", e.toString());
          return Future.succeededFuture();
        });
  }

  // ------------------------------------------------------------------ the counselor's side

  /**
   * The active grant a token opens. Unknown, malformed, pending, revoked and expired tokens all
   * fail the same way (404 {@code not_found}), and so does a grant whose couple is dissolving.
   */
  public Future<Access> access(String token) {
    if (!CounselorTokens.wellFormed(token)) return Future.failedFuture(ApiException.notFound());
    return repo.findByTokenHash(CounselorTokens.hash(token))
        .compose(grant -> grant == null ? Future.succeededFuture(null) : expireIfDue(grant))
        .compose(grant -> {
          if (grant == null || !grant.grantsAccess(clock.instant())) return Future.failedFuture(ApiException.notFound());
          return reviews.coupleOf(grant.proposedBy()).compose(couple -> couple == null || !couple.id().equals(grant.coupleId())
              ? Future.failedFuture(ApiException.notFound())
              : Future.succeededFuture(new Access(grant, couple)));
        });
  }

  /** The throttle key of a client address: wrong tokens count against it. */
  private static String throttleKey(String clientAddress) {
    return "counselor:" + clientAddress;
  }

  /**
   * Counts one request carrying a token against the client's address, before the token is looked
   * at, and decides in the same database operation ({@link Throttle#attempt}): 0 when it may go on,
   * else the seconds to wait. So 60 wrong tokens sent at once let at most the limit reach the check
   * (issue #13); a request that was refused stays counted.
   */
  public Future<Long> attempt(String clientAddress) {
    return wrongTokens.attempt(throttleKey(clientAddress));
  }

  /**
   * Gives a request's attempt back: its token opened an active grant (a counselor's own visits never
   * count), or it failed for another reason than its token (the database, say).
   */
  public Future<Void> giveBack(String clientAddress) {
    return wrongTokens.refund(throttleKey(clientAddress)).otherwiseEmpty();
  }

  /**
   * A wrong (or ended) token: its attempt stays counted against the client's address; it is also
   * counted in the hourly audit. The token itself and the address are never stored or logged (the
   * throttle keeps a hash).
   */
  public Future<Void> wrongToken(String clientAddress) {
    String hour = HOUR.format(clock.instant());
    return repo.countWrongToken(hour)
        .onSuccess(count -> {
          if (count == 1 || count % 100 == 0) LOG.info("Counselor links: {} wrong or ended token(s) this hour ({} UTC)", count, hour);
        })
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  /** GET /api/counselor/view: the brief's content as data, plus the grant's label and end. */
  public Future<JsonObject> view(Access access, String userAgent) {
    Grant grant = access.grant();
    return reviews.briefJson(access.couple(), grant.reviewId())
        .map(brief -> brief.put("label", grant.label()).put("expiresAt", Times.format(grant.expiresAt())))
        .compose(view -> opened(grant, userAgent).map(view));
  }

  /** GET /api/counselor/brief.pdf: the same brief the couple downloads. */
  public Future<BriefFile> pdf(Access access, String userAgent) {
    return reviews.brief(access.couple(), access.grant().reviewId(), "pdf")
        .compose(file -> opened(access.grant(), userAgent).map(file));
  }

  /** Records an opening for the partners' history, once per visit of the same kind of client. */
  private Future<Void> opened(Grant grant, String userAgent) {
    String client = ClientDescription.of(userAgent);
    Instant now = clock.instant();
    boolean sameVisit = grant.opens().stream().anyMatch(o -> o.client().equals(client)
        && Instant.parse(o.at()).isAfter(now.minus(SAME_VISIT)));
    if (sameVisit) return Future.succeededFuture();
    return announced(grant.coupleId(), grant.id(), OPENED, mark -> repo.addOpen(grant, new Grant.Open(Times.format(now), client), mark))
        .mapEmpty();
  }

  /** Takes one of the grant's live-channel places; false when all are taken. */
  boolean openChannel(String grantId) {
    AtomicInteger n = channels.computeIfAbsent(grantId, id -> new AtomicInteger());
    if (n.incrementAndGet() > MAX_CHANNELS) {
      n.decrementAndGet();
      return false;
    }
    return true;
  }

  void closeChannel(String grantId) {
    channels.computeIfPresent(grantId, (id, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  // ------------------------------------------------------------------ withdrawal and dissolution

  /** Nothing stored to drop: the view is built from the shares as they are (open channels hear {@code share.withdrawn}). */
  @Override
  public Future<Void> shareWithdrawn(String coupleId, String shareId) {
    return Future.succeededFuture();
  }

  /** The couple dissolved (a partner left or deleted their account): its grants are erased, so every link is dead. */
  @Override
  public Future<Void> coupleDissolved(String coupleId) {
    return repo.removeByCouple(coupleId);
  }
}
