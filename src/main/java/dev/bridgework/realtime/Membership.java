package dev.bridgework.realtime;

import io.vertx.core.Future;

/**
 * Who belongs to which couple, as the real-time gateway needs it: which couple stream a user's
 * sockets follow, and whose presence and focus they may see. The couple feature owns the data;
 * it also publishes {@code {"type":"membership","coupleId": id|null}} on {@code bw.user.<userId>}
 * after every change, so open sockets switch streams at once.
 */
public interface Membership {
  /** The user's couple id, or null when not paired. */
  Future<String> coupleIdOf(String userId);

  /** The user's partner's id, or null when not paired or still waiting for a partner to join. */
  Future<String> partnerOf(String userId);

  /** The event-bus address the couple feature publishes a user's membership changes on. */
  static String address(String userId) {
    return "bw.user." + userId;
  }
}
