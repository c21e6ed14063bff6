package dev.bridgework.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The requests whose cost grows with what a couple has stored, timed one by one from just before
 * the request is sent to its full answer ({@code concurrency} in flight, spread over the couples):
 * <ul>
 *   <li><b>list</b>: {@code GET /api/shares} by partner A (every share of the couple, opened);</li>
 *   <li><b>review note</b>: {@code PUT /api/reviews/{id}/notes/{shareId}} by partner A, on a review
 *       the couple opened with its newest shares on the agenda (opening it is not timed);</li>
 *   <li><b>withdrawal</b>: {@code DELETE /api/shares/{id}} by the share's author, of a share not on
 *       any agenda (its stored events are scrubbed).</li>
 * </ul>
 * Every answer must be a 2xx; a failed one is counted and reported as a problem.
 */
final class Operations {
  private final Http http;
  private final List<Couple> couples;
  private final int samples;
  private final int concurrency;

  Operations(Http http, List<Couple> couples, int samples, int concurrency) {
    this.http = http;
    this.couples = couples;
    this.samples = samples;
    this.concurrency = concurrency;
  }

  record Timed(String name, Histogram latency, int failed, List<String> failures, long itemsSeen) {
    JsonObject toJson() {
      return new JsonObject().put("name", name).put("latencyMs", Report.latency(latency)).put("failed", failed)
          .put("failures", new JsonArray(failures.subList(0, Math.min(5, failures.size())))).put("itemsSeen", itemsSeen);
    }
  }

  /** Runs the three measurements in turn; answers them by name. */
  List<Timed> run() throws Exception {
    int n = Math.min(samples, couples.size());
    List<Timed> out = new ArrayList<>();
    // What each couple has: its shares as listed (also the first, untimed warm-up of the route).
    List<JsonArray> shares = Async.bounded(n, concurrency, i -> http.expect(200, HttpMethod.GET, "/api/shares", couples.get(i).a.cookie(), null)
        .map(j -> j.getJsonArray("shares", new JsonArray()))).await(600, TimeUnit.SECONDS);
    out.add(timed("list", samples, i -> {
      Couple c = couples.get(i % n);
      return http.call(HttpMethod.GET, "/api/shares", c.a.cookie(), (JsonObject) null)
          .map(a -> check(a, 200) ? (long) a.json().getJsonArray("shares", new JsonArray()).size() : -1L);
    }));
    out.add(notes(n, shares));
    out.add(withdrawals(n, shares));
    return out;
  }

  private Timed notes(int n, List<JsonArray> shares) throws Exception {
    // One review per couple with (up to) its 5 newest shares on the agenda; the notes are timed.
    List<JsonObject> reviews = Async.bounded(n, concurrency, i -> {
      Couple c = couples.get(i);
      JsonArray agenda = new JsonArray();
      for (int k = 0; k < Math.min(5, shares.get(i).size()); k++) agenda.add(shares.get(i).getJsonObject(k).getString("id"));
      if (agenda.isEmpty()) return Future.succeededFuture((JsonObject) null);
      return openReview(c).compose(id -> http.expect(200, HttpMethod.PUT, "/api/reviews/" + id + "/agenda", c.a.cookie(),
          new JsonObject().put("shareIds", agenda)).map(r -> new JsonObject().put("id", id).put("agenda", agenda)));
    }).await(600, TimeUnit.SECONDS);
    return timed("review note", samples, i -> {
      JsonObject review = reviews.get(i % n);
      if (review == null) return Future.succeededFuture(-1L);
      JsonArray agenda = review.getJsonArray("agenda");
      String shareId = agenda.getString((i / n) % agenda.size());
      return http.call(HttpMethod.PUT, "/api/reviews/" + review.getString("id") + "/notes/" + shareId, couples.get(i % n).a.cookie(),
          new JsonObject().put("text", "Note " + i + ": I would like us to talk about this one first.")).map(a -> check(a, 200) ? 1L : -1L);
    });
  }

  /** The couple's open review: a new one, or the one already open (409 {@code review_open} carries it). */
  private Future<String> openReview(Couple c) {
    return http.call(HttpMethod.POST, "/api/reviews", c.a.cookie(), new JsonObject()).compose(a -> {
      if (a.status() == 201) return Future.succeededFuture(a.json().getString("id"));
      if (a.status() == 409 && a.json().getJsonObject("current") != null) {
        return Future.succeededFuture(a.json().getJsonObject("current").getString("id"));
      }
      return Future.failedFuture("POST /api/reviews answered " + a.status() + ": " + a.body());
    });
  }

  private Timed withdrawals(int n, List<JsonArray> shares) throws Exception {
    // Shares of each couple beyond the 5 on the agenda, authored by either partner: withdrawn by their author.
    List<String[]> targets = new ArrayList<>();
    for (int round = 0; targets.size() < samples && round < 1000; round++) {
      boolean any = false;
      for (int i = 0; i < n && targets.size() < samples; i++) {
        JsonArray list = shares.get(i);
        int k = 5 + round;
        if (k >= list.size()) continue;
        any = true;
        JsonObject s = list.getJsonObject(k);
        Couple c = couples.get(i);
        String cookie = c.a.id().equals(s.getString("authorId")) ? c.a.cookie() : c.b.cookie();
        targets.add(new String[] {s.getString("id"), cookie});
      }
      if (!any) break;
    }
    // Couples with no share beyond their agenda (the empty database's have only the latency window's):
    // a share each is made first, untimed, by partner A, so there is always something to withdraw.
    int missing = samples - targets.size();
    List<String> made = Async.bounded(missing, concurrency, i -> {
      String id = java.util.UUID.randomUUID().toString();
      Couple c = couples.get(i % n);
      return http.call(HttpMethod.PUT, "/api/shares/" + id, c.a.cookie(), Fanout.shareBody(9_000_000L + i))
          .compose(a -> check(a, 201) ? Future.succeededFuture(id)
              : Future.<String>failedFuture("a share to withdraw answered " + a.status() + ": " + a.body()));
    }).await(600, TimeUnit.SECONDS);
    for (int i = 0; i < made.size(); i++) targets.add(new String[] {made.get(i), couples.get(i % n).a.cookie()});
    return timed("withdrawal", targets.size(), i -> http.call(HttpMethod.DELETE, "/api/shares/" + targets.get(i)[0], targets.get(i)[1],
        (JsonObject) null).map(a -> check(a, 204) || check(a, 200) ? 1L : -1L));
  }

  private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

  private boolean check(Http.Answer a, int status) {
    if (a.status() == status) return true;
    if (a.status() / 100 != 2) failures.add(a.status() + " " + (a.body() == null ? "" : a.body().toString()));
    return false;
  }

  private Timed timed(String name, int count, java.util.function.IntFunction<Future<Long>> call) throws Exception {
    Histogram h = new ConcurrentHistogram(Window.MAX_MICROS, 3);
    int before = failures.size();
    java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
    Async.bounded(count, concurrency, i -> {
      long t = System.nanoTime();
      return call.apply(i).map(r -> {
        if (r < 0) failed.incrementAndGet();
        else {
          Window.record(h, System.nanoTime() - t);
          seen.addAndGet(r);
        }
        return r;
      }).recover(e -> {
        failed.incrementAndGet();
        failures.add(e.toString());
        return Future.succeededFuture(-1L);
      });
    }).await(900, TimeUnit.SECONDS);
    List<String> mine;
    synchronized (failures) {
      mine = new ArrayList<>(failures.subList(before, failures.size()));
    }
    return new Timed(name, h, failed.get(), mine, seen.get());
  }
}
