package dev.bridgework.testing;

import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import dev.bridgework.storage.PendingEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Records every command the server's MongoDB driver sends (the driver's own {@link CommandListener},
 * handed to {@link TestServer#start}), to count the database work of one request: the budget tests
 * of the share path, the review note and the withdrawal (docs/PERFORMANCE.md "The share path's
 * database work").
 *
 * <ul>
 *   <li><b>Sequential round trips</b>: the commands' time spans (from the driver's "started" to its
 *       "succeeded"/"failed") merged where they overlap; each merged span is one round trip the
 *       request waited for, however many commands ran in it side by side. Only commands that ended
 *       before the answer arrived (taken on the client's event loop) count: the answer cannot have
 *       waited for the others (the clean-up the server starts once the answer is written; its first
 *       command is held back like any other, so it ends after the answer arrived). While a request
 *       is measured, every reply is held back {@value #HOLD_REPLY_MS} ms before the driver hands it
 *       on, so commands sent side by side surely overlap (a fast embedded server may otherwise answer
 *       the first before the second has left), and a command that needs an answer still starts
 *       after it.</li>
 *   <li><b>Commits</b>: {@code commitTransaction} commands, plus every write command
 *       ({@code insert}, {@code update}, {@code delete}, {@code findAndModify}) outside a transaction
 *       whose write concern asks for it to be durable before it is acknowledged (the default: the
 *       embedded server commits its store before it answers such a write, MongoDB journals it). A
 *       write sent with {@code j: false} is not acknowledged as durable and is made durable by the
 *       next commit, so it is counted as a write, not a commit. Commits are counted over the whole
 *       request, the clean-up after the answer included.</li>
 * </ul>
 */
public final class CommandRecorder implements CommandListener {
  static final long HOLD_REPLY_MS = 50;
  /** How long a request and the clean-up after its answer may take at most (held replies, on a slow shared machine). */
  private static final Duration CLEAN_UP = Duration.ofSeconds(30);
  private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify", "findandmodify");

  public record Command(String name, String collection, boolean durableWrite, long startedNanos, long endedNanos) {}

  /** One measured request: its answer, the commands it waited for, and those after its answer. */
  public record Measured(HttpResponse<Buffer> answer, List<Command> before, List<Command> after) {
    public int roundTrips() {
      return CommandRecorder.roundTrips(before);
    }

    public int commits() {
      return (int) (before.stream().filter(Command::durableWrite).count() + after.stream().filter(Command::durableWrite).count());
    }

    public boolean wrote(String collection) {
      return before.stream().anyMatch(c -> c.collection().equals(collection) && WRITES.contains(c.name()));
    }

    public String report() {
      long t0 = before.isEmpty() ? 0 : before.get(0).startedNanos();
      return before.size() + " commands, " + roundTrips() + " round trips, " + commits() + " commits:" + describe(before, t0)
          + (after.isEmpty() ? "" : String.format("%n  after the answer: %d commands:", after.size()) + describe(after, t0));
    }
  }

  private final Map<Integer, Command> open = new ConcurrentHashMap<>();
  private final List<Command> done = new ArrayList<>();
  private volatile boolean recording;

  private record Awaited(String name, String collection, Promise<Void> ended) {}

  private volatile Awaited awaited;

  @Override
  public void commandStarted(CommandStartedEvent event) {
    if (!recording) return;
    var body = event.getCommand();
    String name = event.getCommandName();
    String collection = body.containsKey(name) && body.get(name).isString() ? body.getString(name).getValue() : "";
    // The outbox's periodic sweep (every 30 s, a find of every pending entry) is not the request's work.
    if ("find".equals(name) && PendingEvents.COLLECTION.equals(collection) && body.containsKey("filter")
        && body.getDocument("filter").isEmpty()) {
      return;
    }
    boolean journaled = !(body.containsKey("writeConcern") && body.getDocument("writeConcern").containsKey("j")
        && !body.getDocument("writeConcern").getBoolean("j").getValue());
    boolean inTransaction = body.containsKey("txnNumber") && body.containsKey("autocommit");
    boolean durable = "commitTransaction".equals(name) || (WRITES.contains(name) && !inTransaction && journaled);
    open.put(event.getRequestId(), new Command(name, collection, durable, System.nanoTime(), 0));
  }

  @Override
  public void commandSucceeded(CommandSucceededEvent event) {
    ended(event.getRequestId());
  }

  @Override
  public void commandFailed(CommandFailedEvent event) {
    ended(event.getRequestId());
  }

  private void ended(int requestId) {
    Command c = open.remove(requestId);
    if (c == null) return;
    // The reply is held back a moment before the driver hands it on: a command sent side by side with this
    // one has surely been sent meanwhile (and overlaps it), while one that waits for this answer cannot start yet.
    try {
      Thread.sleep(HOLD_REPLY_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (done) {
      done.add(new Command(c.name(), c.collection(), c.durableWrite(), c.startedNanos(), System.nanoTime()));
    }
    Awaited awaited = this.awaited;
    if (awaited != null && awaited.name().equals(c.name()) && awaited.collection().equals(c.collection())) awaited.ended().tryComplete();
  }

  /**
   * Sends the request and records its commands, until the last step of the clean-up behind its
   * event (or of the request itself) has ended: the removal of its pending-change entry.
   */
  public Measured measure(Supplier<Future<HttpResponse<Buffer>>> request) {
    take();
    Promise<Void> cleanedUp = Promise.promise();
    awaited = new Awaited("delete", PendingEvents.COLLECTION, cleanedUp);
    recording = true;
    try {
      // The answer's moment is taken where it arrives, on the client's event loop, not when the test thread wakes up.
      AtomicLong arrived = new AtomicLong();
      HttpResponse<Buffer> answer = Inbox.await(request.get().onComplete(r -> arrived.set(System.nanoTime())), CLEAN_UP);
      Inbox.await(cleanedUp.future(), CLEAN_UP);
      List<Command> all = take();
      long answered = arrived.get();
      return new Measured(answer, all.stream().filter(c -> c.endedNanos() <= answered).toList(),
          all.stream().filter(c -> c.endedNanos() > answered).toList());
    } finally {
      recording = false;
      awaited = null;
    }
  }

  private List<Command> take() {
    synchronized (done) {
      List<Command> all = new ArrayList<>(done);
      done.clear();
      all.sort(Comparator.comparingLong(Command::startedNanos));
      return all;
    }
  }

  /** Round trips: the commands' spans merged where they overlap. */
  static int roundTrips(List<Command> commands) {
    int trips = 0;
    long end = Long.MIN_VALUE;
    for (Command c : commands) {
      if (c.startedNanos() > end) trips++;
      end = Math.max(end, c.endedNanos());
    }
    return trips;
  }

  static String describe(List<Command> commands, long t0) {
    StringBuilder out = new StringBuilder();
    for (Command c : commands) {
      out.append(String.format("%n  %7.2f-%7.2f ms  %s %s%s", (c.startedNanos() - t0) / 1e6, (c.endedNanos() - t0) / 1e6,
          c.name(), c.collection(), c.durableWrite() ? "  (commit)" : ""));
    }
    return out.toString();
  }
}
