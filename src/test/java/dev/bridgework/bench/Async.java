package dev.bridgework.bench;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Runs many asynchronous tasks with a bound on how many are in flight at once. */
final class Async {
  private Async() {}

  static <T> Future<List<T>> bounded(int n, int concurrency, IntFunction<Future<T>> task) {
    List<T> results = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(n, null)));
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int k = 0; k < Math.min(concurrency, n); k++) workers.add(worker(next, n, task, results));
    return Future.all(workers).map(results);
  }

  private static <T> Future<Void> worker(AtomicInteger next, int n, IntFunction<Future<T>> task, List<T> results) {
    int i = next.getAndIncrement();
    if (i >= n) return Future.succeededFuture();
    return task.apply(i).compose(r -> {
      results.set(i, r);
      return worker(next, n, task, results);
    });
  }
}
