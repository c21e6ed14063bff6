package dev.bridgework.app;

import dev.bridgework.couple.CoupleService;
import dev.bridgework.realtime.Membership;
import io.vertx.core.Future;

/**
 * The real-time gateway's view of couples, answered by the couple feature. A couple being
 * dissolved counts as gone ({@link CoupleService#coupleOf}), so its stream stops at once. Lives in
 * {@code app} because {@code couple} already depends on {@code realtime} (the event log).
 */
final class CoupleMembership implements Membership {
  private final CoupleService couples;

  CoupleMembership(CoupleService couples) {
    this.couples = couples;
  }

  @Override
  public Future<String> coupleIdOf(String userId) {
    return couples.coupleOf(userId).map(c -> c == null ? null : c.id());
  }

  @Override
  public Future<String> partnerOf(String userId) {
    return couples.coupleOf(userId).map(c -> c == null ? null : c.partnerOf(userId));
  }
}
