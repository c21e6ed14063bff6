package dev.bridgework.prompt;

import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Outbox;
import dev.bridgework.realtime.Stream;
import dev.bridgework.storage.PendingEvents;
import dev.bridgework.storage.PendingEvents.Mark;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import dev.bridgework.couple.Couple;

import java.util.function.BiFunction;

/**
 * A prompt's writes, each with its event (docs/REALTIME.md "Exactly one event per change"): the
 * change carries its event's mark in the same atomic write ({@link PendingEvents}), listed before
 * it, and the {@link Outbox} completes the event once, in the request, in a retry that reads the
 * prompt ({@link #settled}) or in the sweep. The event says what is stored when it is completed.
 */
final class PromptChanges {
  private final PromptRepository repo;
  private final Outbox outbox;

  PromptChanges(PromptRepository repo, EventLog events, CoupleRepository couples,
                BiFunction<Couple, AskedPrompt, JsonObject> json) {
    this.repo = repo;
    this.outbox = events.outbox();
    outbox.register(PromptRepository.PROMPTS, new Outbox.Source() {
      @Override
      public Future<EventLog.Rendered> render(String docId, JsonObject doc, Mark mark) {
        // Gone (cancelled): announced by id. Otherwise the prompt as stored now, who has answered included.
        if (doc == null) return Future.succeededFuture(EventLog.Rendered.of(new JsonObject().put("id", docId)));
        AskedPrompt p = new AskedPrompt(doc);
        return couples.findCouple(p.coupleId()).map(couple -> EventLog.Rendered.of(couple == null
            ? new JsonObject().put("id", docId) : json.apply(couple, p)));
      }
    });
  }

  private Mark mark(String coupleId, String kind) {
    return outbox.pending().mark(Stream.COUPLE, coupleId, kind);
  }

  /** The prompt with every event an earlier attempt left owed completed. */
  Future<AskedPrompt> settled(AskedPrompt p) {
    if (p == null || PendingEvents.marksOf(p.doc()).isEmpty()) return Future.succeededFuture(p);
    return outbox.settle(PromptRepository.PROMPTS, p.id()).compose(v -> repo.find(p.id())).map(fresh -> fresh == null ? p : fresh);
  }

  /** Stores a new prompt owing {@code kind}; a duplicate id fails as the insert does (and owes nothing). */
  Future<Void> insert(JsonObject doc, String kind) {
    String id = doc.getString("_id");
    Mark mark = mark(doc.getString("coupleId"), kind);
    return outbox.pending().register(PromptRepository.PROMPTS, id, mark)
        .compose(v -> repo.insert(PendingEvents.onInsert(doc.copy(), mark))
            .recover(e -> outbox.pending().unlist(mark.op()).transform(x -> Future.failedFuture(e))))
        .compose(v -> outbox.complete(PromptRepository.PROMPTS, id, mark));
  }

  /**
   * Compare-and-set owing {@code kind} (none when null); the new prompt, or null when someone else
   * changed it first (then nothing is owed).
   */
  Future<AskedPrompt> change(AskedPrompt p, JsonObject update, String kind) {
    if (kind == null) return repo.compareAndSet(p, update);
    Mark mark = mark(p.coupleId(), kind);
    JsonObject change = update.copy();
    change.put("$set", change.getJsonObject("$set", new JsonObject()).copy().mergeIn(mark.set()));
    return outbox.pending().register(PromptRepository.PROMPTS, p.id(), mark)
        .compose(v -> repo.compareAndSet(p, change))
        .compose(updated -> updated != null ? outbox.complete(PromptRepository.PROMPTS, p.id(), mark).map(v -> updated)
            : outbox.pending().unlist(mark.op()).map((AskedPrompt) null));
  }

  /** Removes the prompt if it is still at its {@code rev}, owing {@code kind}; false when it changed meanwhile. */
  Future<Boolean> remove(AskedPrompt p, String kind) {
    return outbox.deleting(PromptRepository.PROMPTS, p.id(), Stream.COUPLE, p.coupleId(), kind)
        // Not removed: the listed deletion counts for nothing, and completing it drops it.
        .compose(mark -> repo.removeAt(p).compose(removed -> outbox.completeDeletion(PromptRepository.PROMPTS, p.id(), mark)
            .map(removed)));
  }

  /** A removal whose event an earlier attempt left owed is completed; true when there was one. */
  Future<Boolean> settleRemoval(String id) {
    return outbox.settleDeletion(PromptRepository.PROMPTS, id);
  }
}
