package dev.bridgework.realtime;

/**
 * A token bucket on the monotonic clock: {@code capacity} tokens, refilled at {@code perSecond}.
 * Used by one socket on its own event loop, so it needs no locking.
 */
final class TokenBucket {
  private final double capacity;
  private final double perNano;
  private double tokens;
  private long last;

  TokenBucket(double capacity, double perSecond) {
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.tokens = capacity;
    this.last = System.nanoTime();
  }

  boolean tryTake() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }
}
