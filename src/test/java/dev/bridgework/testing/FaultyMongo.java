package dev.bridgework.testing;

import com.mongodb.MongoSocketWriteException;
import com.mongodb.ServerAddress;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.mongo.MongoClient;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real MongoClient, except that while armed the writes into chosen collections fail as if the
 * connection dropped (the database's fault, not ours): what a node sees when the database hiccups
 * between a document write and its event. Everything else goes to the real database.
 */
public final class FaultyMongo {
  private static final Set<String> WRITES = Set.of("insert", "insertWithOptions", "save", "saveWithOptions",
      "findOneAndUpdate", "findOneAndUpdateWithOptions", "updateCollection", "updateCollectionWithOptions");

  private final MongoClient real;
  private final AtomicInteger failures = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicReference<FailingCall> failingCall = new java.util.concurrent.atomic.AtomicReference<>();

  private record FailingCall(String method, String collection, Promise<Void> failed) {}
  private volatile Set<String> collections = Set.of();
  private final java.util.concurrent.atomic.AtomicReference<Interleaving> interleaving = new java.util.concurrent.atomic.AtomicReference<>();
  public final MongoClient client;

  /** The next {@code method} on {@code collection} runs only once {@code first} has run to its end. */
  private record Interleaving(String method, String collection, java.util.function.Supplier<Future<?>> first) {}

  public FaultyMongo(MongoClient real) {
    this.real = real;
    this.client = (MongoClient) Proxy.newProxyInstance(MongoClient.class.getClassLoader(), new Class<?>[]{MongoClient.class},
        (proxy, method, args) -> {
          FailingCall call = failingCall.get();
          if (call != null && args != null && args.length > 0 && call.method().equals(method.getName())
              && call.collection().equals(args[0]) && failingCall.compareAndSet(call, null)) {
            call.failed().complete();
            return Future.failedFuture(new MongoSocketWriteException("connection dropped (injected)", new ServerAddress(),
                new IOException("broken pipe")));
          }
          if ((WRITES.contains(method.getName()) && args != null && args.length > 0 && collections.contains(args[0])
              && failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0)) {
            return Future.failedFuture(new MongoSocketWriteException("connection dropped (injected)", new ServerAddress(),
                new IOException("broken pipe")));
          }
          Interleaving before = interleaving.get();
          if (before != null && before.method().equals(method.getName()) && args != null && args.length > 0
              && before.collection().equals(args[0]) && interleaving.compareAndSet(before, null)) {
            return before.first().get().transform(done -> {
              try {
                return (Future<?>) method.invoke(real, args);
              } catch (ReflectiveOperationException e) {
                return Future.failedFuture(e.getCause() != null ? e.getCause() : e);
              }
            });
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** The next {@code times} writes into any of {@code collections} fail. */
  public void failNext(int times, String... collections) {
    this.collections = Set.of(collections);
    failures.set(times);
  }

  /**
   * Forces one interleaving of two requests: the next call of {@code method} (an operation that
   * answers a Future, such as {@code insert}) on {@code collection} waits until {@code first} has
   * run to its end (whatever its outcome), then goes to the real database. Once.
   */
  public void beforeNext(String method, String collection, java.util.function.Supplier<Future<?>> first) {
    interleaving.set(new Interleaving(method, collection, first));
  }

  /**
   * The next call of {@code method} (say {@code updateCollection}) on {@code collection} fails, once;
   * the answer completes when it has.
   */
  public Future<Void> failNextCall(String method, String collection) {
    FailingCall call = new FailingCall(method, collection, Promise.promise());
    failingCall.set(call);
    return call.failed().future();
  }

  public void heal() {
    failures.set(0);
    failingCall.set(null);
  }
}
