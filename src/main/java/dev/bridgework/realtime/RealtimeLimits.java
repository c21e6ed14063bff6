package dev.bridgework.realtime;

import java.time.Duration;

/**
 * The gateway's limits and timings. The defaults are what production runs with; tests shorten
 * some of them to observe the behaviour without waiting.
 *
 * @param messagesPerSecond  client frames a socket may send per second, on average
 * @param burst              client frames a socket may send at once
 * @param strikes            frames over the limit tolerated (refilled one per second) before closing with 1008
 * @param holeGrace          how long a missing seq may stay missing (a writer took it but has not stored it
 *                           yet) before the socket gets {@code reset} for that stream
 * @param sweepInterval      how often sessions, memberships, stream heads and partner presence of open sockets
 *                           are re-checked (expired sessions, messages the bus dropped)
 * @param stallTimeout       how long a socket's write queue may stay full before it is closed with 1013
 * @param writeQueueBytes    a socket's write-queue bound
 * @param maxPending         live events buffered per stream while a socket catches up; beyond it they are
 *                           dropped and read back from the event log instead
 * @param presenceTimeout    how long "is this user online?" waits for an answer from the cluster
 */
public record RealtimeLimits(
    double messagesPerSecond,
    int burst,
    int strikes,
    Duration holeGrace,
    Duration sweepInterval,
    Duration stallTimeout,
    int writeQueueBytes,
    int maxPending,
    Duration presenceTimeout) {

  public static RealtimeLimits defaults() {
    return new RealtimeLimits(20, 40, 40, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(15),
        256 * 1024, 256, Duration.ofSeconds(2));
  }

  public RealtimeLimits withSweepInterval(Duration d) {
    return new RealtimeLimits(messagesPerSecond, burst, strikes, holeGrace, d, stallTimeout, writeQueueBytes, maxPending,
        presenceTimeout);
  }

  public RealtimeLimits withStall(Duration d, int queueBytes) {
    return new RealtimeLimits(messagesPerSecond, burst, strikes, holeGrace, sweepInterval, d, queueBytes, maxPending,
        presenceTimeout);
  }

  public RealtimeLimits withHoleGrace(Duration d) {
    return new RealtimeLimits(messagesPerSecond, burst, strikes, d, sweepInterval, stallTimeout, writeQueueBytes, maxPending,
        presenceTimeout);
  }
}
