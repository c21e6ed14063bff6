package dev.bridgework.prompt;

import dev.bridgework.couple.Couple;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.couple.JointSpaceListener;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.share.Share;
import dev.bridgework.share.ShareService;
import dev.bridgework.storage.DataKey;
import dev.bridgework.storage.Vault;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Answer apart, reveal together (docs/PROMPTS.md). Either partner proposes a prompt from the
 * catalog; each submits an answer, which the server holds sealed and padded and shows to nobody
 * ({@link PromptAnswers}); the submission that completes the pair reveals both in the same atomic
 * write, and the reveal becomes one {@code pair} share in the joint space, so acknowledging,
 * responding, flagging, review agendas, the brief, withdrawal and dissolution are the share
 * feature's, unchanged.
 *
 * <p>Race safety: every change is a compare-and-set on the prompt's {@code rev}
 * ({@link PromptRepository#compareAndSet}). Two submissions at the same instant: one wins, the
 * other reads again, finds the partner's answer in and reveals, so the pair is revealed exactly
 * once. A withdrawal or a cancel racing the completing submission either lands first (no reveal)
 * or reads "revealed" and answers 409 {@code prompt_revealed}.
 *
 * <p>No change without its event (docs/REALTIME.md "Exactly one event per change"): each change
 * carries its event's mark in the same write ({@link PendingEvents}); the {@link Outbox} completes
 * it once, in the request, in its retry or in the sweep. {@code prompt.revealed} is owed by the
 * write that clears the held answers, which happens only once the pair share (and its
 * {@code share.created}) is stored, so the partner's screen never hears of a reveal before its share.
 */
public final class PromptService implements JointSpaceListener {
  static final int MAX_OPEN = 50;
  private static final int ATTEMPTS = 8;
  /** A reveal whose share is still missing after this long died half-way; reading the prompt finishes it. */
  static final Duration REPAIR_AFTER = Duration.ofSeconds(60);
  static final String PROPOSED = "prompt.proposed";
  static final String UPDATED = "prompt.updated";
  static final String REVEALED = "prompt.revealed";
  static final String CANCELLED = "prompt.cancelled";
  private static final Comparator<AskedPrompt> NEWEST_FIRST = Comparator
      .comparing((AskedPrompt p) -> p.doc().getString("createdAt")).thenComparing(AskedPrompt::id).reversed();

  private final PromptRepository repo;
  private final PromptCatalog catalog;
  private final ShareService shares;
  private final Vault vault;
  private final PromptChanges changes;
  private final Clock clock;

  public record Saved(JsonObject prompt, boolean created) {}

  public PromptService(MongoClient mongo, PromptCatalog catalog, ShareService shares, Vault vault, EventLog events,
                       CoupleRepository couples, Clock clock) {
    this.repo = new PromptRepository(mongo);
    this.changes = new PromptChanges(repo, events, couples, this::json);
    this.catalog = catalog;
    this.shares = shares;
    this.vault = vault;
    this.clock = clock;
  }

  public Future<Void> createIndexes() {
    return repo.createIndexes();
  }

  public PromptCatalog catalog() {
    return catalog;
  }

  private String now() {
    return Times.format(clock.instant());
  }

  private JsonObject json(Couple couple, AskedPrompt p) {
    return p.toJson(couple, catalog.find(p.catalogId()).orElse(null));
  }

  // --- reading ---

  public Future<List<JsonObject>> list(Couple couple) {
    return repo.allOf(couple.id()).compose(all -> {
      List<Future<AskedPrompt>> repaired = all.stream().map(p -> changes.settled(p).compose(s -> repairIfStuck(couple, s))).toList();
      return Future.all(repaired).map(v -> repaired.stream().map(Future::result).sorted(NEWEST_FIRST)
          .map(p -> json(couple, p)).toList());
    });
  }

  public Future<JsonObject> get(Couple couple, String id) {
    return visible(couple, id).compose(p -> repairIfStuck(couple, p)).map(p -> json(couple, p));
  }

  /** The couple's prompt, after completing any event an earlier attempt left owed. */
  private Future<AskedPrompt> visible(Couple couple, String id) {
    return repo.find(id).compose(p -> p == null || !couple.id().equals(p.coupleId())
        ? Future.failedFuture(ApiException.notFound()) : changes.settled(p));
  }

  private Future<AskedPrompt> repairIfStuck(Couple couple, AskedPrompt p) {
    if (!p.revealUnfinished()) return Future.succeededFuture(p);
    Instant revealedAt = Instant.parse(p.doc().getString("revealedAt"));
    // Young: the request that revealed it is still storing the share; leave it to that request.
    if (revealedAt.plus(REPAIR_AFTER).isAfter(clock.instant())) return Future.succeededFuture(p);
    return finishReveal(couple, p);
  }

  // --- proposing ---

  /** {@code PUT /api/prompts/{id}} {@code {promptId}}: asks the couple to answer a catalog prompt apart. */
  public Future<Saved> propose(Couple couple, String userId, String id, String catalogId) {
    CatalogPrompt prompt = catalog.find(catalogId)
        .orElseThrow(() -> ApiException.invalid("promptId", "There is no prompt '" + catalogId + "' in the catalog."));
    return repo.find(id).compose(existing -> {
      if (existing != null) return alreadyThere(couple, existing, catalogId);
      return repo.allOf(couple.id()).compose(all -> {
        if (all.stream().filter(AskedPrompt::isOpen).count() >= MAX_OPEN) {
          return Future.failedFuture(ApiException.conflict("too_many_prompts",
              "You have " + MAX_OPEN + " prompts waiting for answers; cancel one first."));
        }
        String at = now();
        JsonObject doc = new JsonObject().put("_id", id).put("coupleId", couple.id()).put("promptId", prompt.id())
            .put("proposedBy", userId).put("status", AskedPrompt.OPEN).put("shareId", Ids.random())
            .put("answers", new JsonObject()).put("rev", 0L).put("createdAt", at).put("updatedAt", at);
        AskedPrompt asked = new AskedPrompt(doc);
        return changes.insert(doc, PROPOSED)
            .map(v -> new Saved(json(couple, asked), true))
            .recover(e -> isDuplicate(e)
                ? repo.find(id).compose(again -> again == null ? Future.failedFuture(e) : alreadyThere(couple, again, catalogId))
                : Future.failedFuture(e));
      });
    });
  }

  private Future<Saved> alreadyThere(Couple couple, AskedPrompt existing, String catalogId) {
    if (!couple.id().equals(existing.coupleId())) return Future.failedFuture(ApiException.notFound());
    return changes.settled(existing).compose(p -> {
      if (!p.catalogId().equals(catalogId)) {
        return Future.failedFuture(ApiException.conflictWithCurrent("already_asked",
            "This prompt was asked with another question; a prompt's question does not change.", json(couple, p)));
      }
      return Future.succeededFuture(new Saved(json(couple, p), false));
    });
  }

  // --- answering ---

  /**
   * {@code PUT /api/prompts/{id}/answer} {@code {answers:{questionId:text}}}: holds the caller's
   * answer; when the partner's is in already, the same write reveals both.
   */
  public Future<JsonObject> answer(Couple couple, String userId, String id, JsonObject answers) {
    return visible(couple, id).compose(p -> {
      CatalogPrompt prompt = catalog.find(p.catalogId()).orElseThrow(ApiException::notFound);
      JsonObject clean = PromptAnswers.valid(prompt, answers);
      return vault.coupleKey(couple.id()).compose(key -> answer(couple, userId, clean, key, p, ATTEMPTS));
    });
  }

  private Future<JsonObject> answer(Couple couple, String userId, JsonObject answers, DataKey key, AskedPrompt p, int attempts) {
    if (p.revealUnfinished() && p.hasAnswerOf(userId)) {
      // The retry of a submission whose reveal broke off half-way: finish it (it is safe to repeat), then say so.
      return finishReveal(couple, p).compose(done -> Future.failedFuture(revealed(couple, done)));
    }
    if (!p.isOpen()) return Future.failedFuture(revealed(couple, p));
    if (p.hasAnswerOf(userId)) {
      // A retry of the same submission is harmless; a different answer needs a withdrawal first.
      if (answers.equals(PromptAnswers.open(key, p.id(), userId, p.answers().getString(userId)))) {
        return Future.succeededFuture(json(couple, p));
      }
      return Future.failedFuture(ApiException.conflictWithCurrent("already_answered",
          "You have answered already; withdraw your answer first to change it.", json(couple, p)));
    }
    String partner = couple.partnerOf(userId);
    boolean completes = partner != null && p.hasAnswerOf(partner);
    String at = now();
    JsonObject set = new JsonObject().put(PromptAnswers.field(userId), PromptAnswers.seal(key, p.id(), userId, answers))
        .put("updatedAt", at);
    if (completes) set.put("status", AskedPrompt.REVEALED).put("revealedAt", at);
    JsonObject update = new JsonObject().put("$set", set);
    // The completing write announces nothing yet: prompt.revealed is owed once the pair share is stored.
    Future<AskedPrompt> write = changes.change(p, update, completes ? null : UPDATED);
    return retrying(write, p, attempts, fresh -> answer(couple, userId, answers, key, fresh, attempts - 1),
        updated -> completes ? finishReveal(couple, updated).map(done -> json(couple, done))
            : Future.succeededFuture(json(couple, updated)));
  }

  /** {@code DELETE /api/prompts/{id}/answer}: takes the caller's answer back before the reveal. */
  public Future<Void> withdrawAnswer(Couple couple, String userId, String id) {
    return visible(couple, id).compose(p -> withdrawAnswer(couple, userId, p, ATTEMPTS));
  }

  private Future<Void> withdrawAnswer(Couple couple, String userId, AskedPrompt p, int attempts) {
    if (!p.isOpen()) return Future.failedFuture(revealed(couple, p));
    if (!p.hasAnswerOf(userId)) return Future.failedFuture(ApiException.notFound());
    JsonObject update = new JsonObject().put("$unset", new JsonObject().put(PromptAnswers.field(userId), ""))
        .put("$set", new JsonObject().put("updatedAt", now()));
    return retrying(changes.change(p, update, UPDATED), p, attempts,
        fresh -> withdrawAnswer(couple, userId, fresh, attempts - 1), updated -> Future.succeededFuture());
  }

  /** {@code DELETE /api/prompts/{id}}: either partner cancels an open prompt; held answers go with it. */
  public Future<Void> cancel(Couple couple, String id) {
    return repo.find(id).compose(p -> {
      if (p != null && !couple.id().equals(p.coupleId())) return Future.failedFuture(ApiException.notFound());
      if (p == null) {
        // Gone already: a cancel whose event an earlier attempt left owed is completed, and answered.
        return changes.settleRemoval(id)
            .compose(completed -> completed ? Future.succeededFuture() : Future.failedFuture(ApiException.notFound()));
      }
      return changes.settled(p).compose(fresh -> cancel(couple, fresh, ATTEMPTS));
    });
  }

  private Future<Void> cancel(Couple couple, AskedPrompt p, int attempts) {
    if (!p.isOpen()) return Future.failedFuture(revealed(couple, p));
    return changes.remove(p, CANCELLED).compose(removed -> {
      if (removed) return Future.succeededFuture();
      if (attempts <= 1) return Future.failedFuture(busy());
      return repo.find(p.id()).compose(fresh -> fresh == null ? Future.failedFuture(ApiException.notFound())
          : cancel(couple, fresh, attempts - 1));
    });
  }

  /**
   * Finishes a compare-and-set: on success runs {@code then}; when someone else changed the prompt
   * first, reads it again and runs {@code again} on the fresh one (gone meanwhile: 404).
   */
  private <T> Future<T> retrying(Future<AskedPrompt> write, AskedPrompt before, int attempts,
                                 Function<AskedPrompt, Future<T>> again, Function<AskedPrompt, Future<T>> then) {
    return write.compose(updated -> {
      if (updated != null) return then.apply(updated);
      if (attempts <= 1) return Future.failedFuture(busy());
      return repo.find(before.id()).compose(fresh -> fresh == null ? Future.failedFuture(ApiException.notFound()) : again.apply(fresh));
    });
  }

  /**
   * The reveal's second half: both answers become one {@code pair} share (announced as
   * {@code share.created} by the share feature), then the prompt forgets the answers in the write
   * that owes {@code prompt.revealed}, so the words live in the share alone and its withdrawal
   * erases them everywhere. Repeating it (a repair racing the reveal) stores and announces nothing twice.
   */
  private Future<AskedPrompt> finishReveal(Couple couple, AskedPrompt p) {
    CatalogPrompt prompt = catalog.find(p.catalogId()).orElse(null);
    return vault.coupleKey(couple.id()).compose(key -> {
      List<Share.Excerpt> excerpts = new ArrayList<>();
      String proposer = p.doc().getString("proposedBy");
      List<String> order = new ArrayList<>(p.answers().fieldNames().stream().sorted().toList());
      order.sort(Comparator.comparing(uid -> !uid.equals(proposer))); // the proposer's answer first
      List<JsonObject> opened = order.stream().map(uid -> PromptAnswers.open(key, p.id(), uid, p.answers().getString(uid))).toList();
      List<String> questionIds = prompt == null ? List.of() : prompt.questions().stream().map(CatalogPrompt.Question::id).toList();
      for (String qid : questionIds) {
        for (int i = 0; i < order.size(); i++) {
          String text = opened.get(i).getString(qid);
          if (text != null) excerpts.add(new Share.Excerpt(qid, text, order.get(i)));
        }
      }
      String title = prompt == null ? "Answered together" : prompt.title();
      Share pair = Share.pair(p.shareId(), couple.id(), proposer, p.id(), title, excerpts, p.doc().getString("revealedAt"));
      return shares.reveal(pair).compose(stored -> clearAnswers(p, ATTEMPTS));
    });
  }

  /** Empties the held answers; the write that empties them owes {@code prompt.revealed} (once: the loser finds them empty). */
  private Future<AskedPrompt> clearAnswers(AskedPrompt p, int attempts) {
    if (p.answers().isEmpty()) return Future.succeededFuture(p);
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("answers", new JsonObject()));
    return changes.change(p, update, REVEALED).compose(updated -> {
      if (updated != null) return Future.succeededFuture(updated);
      if (attempts <= 1) return Future.failedFuture(busy());
      return repo.find(p.id()).compose(fresh -> fresh == null ? Future.failedFuture(ApiException.notFound())
          : clearAnswers(fresh, attempts - 1));
    });
  }

  // --- the joint space's end ---

  /**
   * A pair share was withdrawn: make sure its prompt holds no copy of the answers (normally cleared
   * at the reveal already), so nothing can bring them back.
   */
  @Override
  public Future<Void> shareWithdrawn(String coupleId, String shareId) {
    return repo.allOf(coupleId).compose(all -> {
      Future<Void> chain = Future.succeededFuture();
      for (AskedPrompt p : all) {
        if (shareId.equals(p.shareId()) && !p.answers().isEmpty()) chain = chain.compose(v -> clearAnswers(p, ATTEMPTS).mapEmpty());
      }
      return chain;
    });
  }

  @Override
  public Future<Void> coupleDissolved(String coupleId) {
    return repo.removeAllOf(coupleId);
  }

  // --- helpers ---

  private ApiException revealed(Couple couple, AskedPrompt p) {
    return ApiException.conflictWithCurrent("prompt_revealed",
        "Both answers are in and have been revealed; they are in your joint space now.", json(couple, p));
  }

  private static ApiException busy() {
    return ApiException.conflict("version_conflict", "This prompt changed meanwhile; please try again.");
  }

  private static boolean isDuplicate(Throwable e) {
    return e instanceof com.mongodb.MongoException m && m.getCode() == 11000;
  }
}
