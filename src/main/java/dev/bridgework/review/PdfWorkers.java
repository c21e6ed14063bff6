package dev.bridgework.review;

import dev.bridgework.web.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PDF rendering on a worker pool of its own, so a burst of briefs (layout and font subsetting take
 * a worker for a good while each) never takes the shared worker pool that password hashing and
 * start-up work need: sign-in stays fast while PDFs are being made. The pool has {@code workers}
 * threads and at most {@code queue} jobs waiting; one more is refused at once with 503 and a
 * {@code Retry-After} ({@code pdf.workers}, {@code pdf.queue}).
 */
public final class PdfWorkers {
  private final WorkerExecutor executor;
  private final int capacity;
  private final AtomicInteger inFlight = new AtomicInteger();

  public PdfWorkers(Vertx vertx, int workers, int queue) {
    this.executor = vertx.createSharedWorkerExecutor("bridgework-pdf", workers);
    this.capacity = workers + queue;
  }

  /** Runs the job on the PDF pool; fails with 503 {@code busy} when the pool and its queue are full. */
  <T> Future<T> submit(Callable<T> job) {
    if (inFlight.incrementAndGet() > capacity) {
      inFlight.decrementAndGet();
      return Future.failedFuture(ApiException.busy("Many briefs are being made right now. Please try again in a few seconds."));
    }
    return executor.executeBlocking(job, false).onComplete(ar -> inFlight.decrementAndGet());
  }

  /** Jobs running or waiting (for tests and metrics). */
  public int inFlight() {
    return inFlight.get();
  }

  public Future<Void> close() {
    return executor.close();
  }
}
