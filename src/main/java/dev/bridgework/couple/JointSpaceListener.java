package dev.bridgework.couple;

import io.vertx.core.Future;

/**
 * Features that keep data about a couple's joint space (shares, reviews) listen here so that a
 * withdrawal or a dissolution erases their copies too. Both calls are awaited before the caller
 * answers, so "204" means the text is gone.
 */
public interface JointSpaceListener {
  /** A share was withdrawn: drop everything derived from it (agenda items, notes). */
  Future<Void> shareWithdrawn(String coupleId, String shareId);

  /** The couple dissolved: erase everything kept for it. */
  Future<Void> coupleDissolved(String coupleId);
}
