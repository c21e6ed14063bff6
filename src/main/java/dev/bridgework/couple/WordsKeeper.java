package dev.bridgework.couple;

import io.vertx.core.Future;

import java.util.Set;

/**
 * When a joint space ends, each partner keeps their own words (API.md {@code DELETE /api/couple},
 * revised): the text of their own shares and their own review notes becomes private work of
 * theirs. Called before anything of the joint space is erased, and again if a dissolution that died
 * half-way is finished later, so it must be harmless to repeat.
 */
public interface WordsKeeper {
  Future<Void> keepOwnWords(Couple couple, Set<String> keeperIds);
}
