package dev.bridgework.testing;

import io.vertx.core.Future;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the server pushes to a test (WebSocket frames, event-bus messages), in arrival order, and
 * waits for it the Vert.x JUnit 5 way: each wait is a {@link VertxTestContext} with a
 * {@code checkpoint(n)} flagged as the n expected items arrive, each checked inside
 * {@code verify(...)} on the thread that delivers it, and the test thread blocks in
 * {@code awaitCompletion} with a timeout. No polling, no sleep: the items themselves complete it.
 *
 * <p>Items that arrive while nobody waits are kept (Vert.x delivers them as they come, and a
 * test may look only later), and a later wait takes them first, in order.
 */
public final class Inbox<T> {
  /** How long a wait for pushed items lasts unless told otherwise. */
  public static final Duration WAIT = Duration.ofSeconds(20);

  private final Deque<T> kept = new ArrayDeque<>();
  private Wait<T> waiting; // guarded by this

  /** Delivers an item (on the event loop that received it). */
  public void add(T item) {
    synchronized (this) {
      if (waiting != null && !waiting.done()) {
        waiting.offer(item);
        if (waiting.done()) waiting = null;
      } else {
        kept.add(item);
      }
    }
  }

  /** A handler that delivers here, for {@code consumer(address, inbox.handler(Message::body))} and the like. */
  public <M> io.vertx.core.Handler<M> handler(java.util.function.Function<M, T> item) {
    return m -> add(item.apply(m));
  }

  /**
   * Takes items in arrival order until {@code n} of them have matched, checking each match with
   * {@code check} (a failed assertion fails the wait at once, with its message); answers every
   * item taken, matching or not.
   */
  public List<T> take(int n, Predicate<T> match, Consumer<T> check, Duration timeout) {
    VertxTestContext ctx = new VertxTestContext();
    Wait<T> wait = new Wait<>(ctx, ctx.checkpoint(n), n, match, check);
    synchronized (this) {
      while (!wait.done() && !kept.isEmpty()) wait.offer(kept.poll());
      if (!wait.done()) waiting = wait;
    }
    boolean finished;
    try {
      finished = ctx.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      synchronized (this) {
        if (waiting == wait) waiting = null;
      }
    }
    if (ctx.failed()) {
      Throwable cause = ctx.causeOfFailure();
      if (cause instanceof AssertionError assertion) throw assertion;
      throw new AssertionError(cause);
    }
    if (!finished) {
      throw new AssertionError((wait.matched == 0 ? "nothing expected" : wait.matched + " of " + n + " expected items")
          + " within " + timeout.toSeconds() + " s; took " + wait.taken);
    }
    return wait.taken;
  }

  /** The next item, checked with {@code check}. */
  public T next(Consumer<T> check, Duration timeout) {
    return take(1, any -> true, check, timeout).get(0);
  }

  public T next() {
    return next(any -> {}, WAIT);
  }

  /** Skips items until one matches; answers it. */
  public T await(Predicate<T> match, Duration timeout) {
    List<T> taken = take(1, match, any -> {}, timeout);
    return taken.get(taken.size() - 1);
  }

  /** Items up to and including the first that matches. */
  public List<T> until(Predicate<T> last, Duration timeout) {
    return take(1, last, any -> {}, timeout);
  }

  /** Items that arrived and were not taken (after a close, say), without taking them. */
  public synchronized List<T> kept() {
    return new ArrayList<>(kept);
  }

  /** Items that arrived and were not taken, taking them. */
  public synchronized List<T> drain() {
    List<T> out = new ArrayList<>(kept);
    kept.clear();
    return out;
  }

  /** Waits for {@code future} through a test context ({@code succeedingThenComplete}) and answers its result. */
  public static <R> R await(Future<R> future, Duration timeout) {
    VertxTestContext ctx = new VertxTestContext();
    future.onComplete(ctx.succeedingThenComplete());
    try {
      if (!ctx.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("not completed within " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (ctx.failed()) throw new AssertionError(ctx.causeOfFailure());
    return future.result();
  }

  private static final class Wait<T> {
    final VertxTestContext ctx;
    final Checkpoint arrived;
    final int wanted;
    final Predicate<T> match;
    final Consumer<T> check;
    final List<T> taken = new ArrayList<>();
    int matched;

    Wait(VertxTestContext ctx, Checkpoint arrived, int wanted, Predicate<T> match, Consumer<T> check) {
      this.ctx = ctx;
      this.arrived = arrived;
      this.wanted = wanted;
      this.match = match;
      this.check = check;
    }

    void offer(T item) {
      taken.add(item);
      ctx.verify(() -> {
        if (match.test(item)) {
          matched++;
          check.accept(item);
          arrived.flag();
        }
      });
    }

    boolean done() {
      return matched >= wanted || ctx.failed();
    }
  }
}
